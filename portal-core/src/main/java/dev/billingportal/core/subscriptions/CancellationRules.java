package dev.billingportal.core.subscriptions;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.internal.Checks;

/** What the configuration lets a customer say when cancelling: which reasons, whether one is required, a comment. */
final class CancellationRules {
    private CancellationRules() {
    }

    /**
     * Checks the reason and comment against the settings.
     *
     * @param s       the session's subscription settings
     * @param reason  the reason, or null
     * @param comment the comment, or null
     * @return the comment as kept (stripped; null when blank)
     * @throws PortalException {@code VALIDATION_ERROR} on {@code reason} ({@code required}, {@code not_offered}) or
     *                         {@code comment} ({@code not_allowed}, control characters, too long)
     */
    static String checkedComment(SubscriptionSettings s, CancellationReason reason, String comment) {
        if (reason == null && s.reasonRequired()) {
            throw PortalException.invalid("reason", "required");
        }
        if (reason != null && !s.reasons().contains(reason)) {
            throw PortalException.invalid("reason", "not_offered");
        }
        String text = comment == null || comment.isBlank() ? null : comment.strip();
        if (text != null && !s.comment()) {
            throw PortalException.invalid("comment", "not_allowed");
        }
        if (text != null) {
            Checks.optionalText(text, "comment");
            if (text.length() > SubscriptionSettings.MAX_COMMENT_LENGTH) {
                throw PortalException.invalid("comment", "must be at most " + SubscriptionSettings.MAX_COMMENT_LENGTH
                        + " characters");
            }
        }
        return text;
    }
}
