package dev.billingportal.core.session;

import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * What the page does once a {@link Flow} is complete (Stripe's {@code after_completion}).
 *
 * @param type        what to do
 * @param redirectUrl where to send the customer, for {@link Type#REDIRECT} (an absolute http(s) URL), else null
 * @param message     the text to show, for {@link Type#HOSTED_CONFIRMATION} (null: a standard text in the customer's
 *                    language), else null
 */
public record AfterCompletion(Type type, URI redirectUrl, String message) {

    /** Back to the portal's home page (the default). */
    public static final AfterCompletion PORTAL_HOMEPAGE = new AfterCompletion(Type.PORTAL_HOMEPAGE, null, null);

    /** What happens after completion. */
    public enum Type {
        /** Send the customer to a URL of the host's. */
        REDIRECT,
        /** Show the portal's home page. */
        PORTAL_HOMEPAGE,
        /** Show a confirmation message. */
        HOSTED_CONFIRMATION;

        /** The snake_case name used in JSON. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates the combination. */
    public AfterCompletion {
        Objects.requireNonNull(type, "type");
        if (type == Type.REDIRECT) {
            Checks.required(redirectUrl, "flow.after_completion.redirect.return_url");
            Checks.optionalHttpUrl(redirectUrl, "flow.after_completion.redirect.return_url");
        } else if (redirectUrl != null) {
            throw dev.billingportal.core.PortalException.invalid("flow.after_completion.redirect.return_url",
                    "only a redirect has a return URL");
        }
        if (message != null) {
            if (type != Type.HOSTED_CONFIRMATION) {
                throw dev.billingportal.core.PortalException.invalid("flow.after_completion.hosted_confirmation",
                        "only a hosted confirmation has a message");
            }
            Checks.optionalText(message, "flow.after_completion.hosted_confirmation.custom_message");
            if (message.length() > 500) {
                throw dev.billingportal.core.PortalException.invalid(
                        "flow.after_completion.hosted_confirmation.custom_message", "must be at most 500 characters");
            }
        }
    }

    /** Redirect to {@code url} after completion. */
    public static AfterCompletion redirect(URI url) {
        return new AfterCompletion(Type.REDIRECT, url, null);
    }

    /** Show a confirmation after completion: {@code message}, or a standard one when null. */
    public static AfterCompletion hostedConfirmation(String message) {
        return new AfterCompletion(Type.HOSTED_CONFIRMATION, null, message);
    }
}
