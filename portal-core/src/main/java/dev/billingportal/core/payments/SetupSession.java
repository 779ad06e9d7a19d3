package dev.billingportal.core.payments;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.util.Locale;

/**
 * A started hand-off to the provider's hosted page where the customer adds a payment method (a Stripe Checkout
 * session in setup mode, an Adyen or Mollie hosted page, the host's own form).
 *
 * @param id          the provider's id of the session
 * @param redirectUrl where to send the customer ({@code https}, or {@code http} only for localhost)
 */
public record SetupSession(String id, URI redirectUrl) {
    /** Validates. */
    public SetupSession {
        Checks.asciiId(id, "id");
        redirectUrl = hostedPage(redirectUrl, "redirect_url");
    }

    /**
     * Checks the URL of a provider's hosted page: absolute, {@code https} (or {@code http} on localhost), no user
     * info.
     *
     * @param url   the URL
     * @param field its name, for the error
     * @return it
     */
    static URI hostedPage(URI url, String field) {
        Checks.required(url, field);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        boolean local = host.equals("localhost") || host.equals("127.0.0.1");
        if (!url.isAbsolute() || host.isEmpty() || url.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http") && local)) {
            throw PortalException.invalid(field, "must be an https URL of the provider's hosted page");
        }
        return url;
    }
}
