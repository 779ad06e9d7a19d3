package dev.billingportal.core.payments;

import dev.billingportal.core.internal.Checks;

import java.net.URI;

/**
 * Where the provider's hosted page sends the customer back: always the portal's own page (built by the portal from
 * its configured URL, never taken from a request), so a hand-off cannot be turned into an open redirect.
 *
 * @param completed where to go once the customer completed the setup or payment ({@code ?setup=complete},
 *                  {@code ?payment=complete&invoice=...})
 * @param canceled  where to go when they gave up ({@code ?setup=canceled}, {@code ?payment=canceled&invoice=...})
 */
public record ReturnUrls(URI completed, URI canceled) {
    /** Validates. */
    public ReturnUrls {
        Checks.required(completed, "completed");
        Checks.required(canceled, "canceled");
    }
}
