package dev.billingportal.core.subscriptions;

import dev.billingportal.core.internal.Checks;

import java.time.Instant;

/**
 * A preview as the portal hands it to the customer: the provider's figures and the signed id that confirms them.
 *
 * @param id        the signed preview id to send with the change
 * @param expiresAt until when the change may be confirmed with it (15 minutes)
 * @param preview   the figures
 */
public record SignedPreview(String id, Instant expiresAt, PlanChangePreview preview) {

    /** Validates all three. */
    public SignedPreview {
        Checks.required(id, "id");
        Checks.required(expiresAt, "expires_at");
        Checks.required(preview, "preview");
    }
}
