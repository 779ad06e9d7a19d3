package dev.billingportal.core.session;

import dev.billingportal.core.PortalService;

/**
 * What a portal link (the token in the URL {@link PortalService#createSession} returns) may do.
 *
 * @see dev.billingportal.core.PortalServiceBuilder#linkMode(LinkMode)
 */
public enum LinkMode {
    /**
     * The link is the session: its token authenticates every API call until it expires or is revoked, however often
     * the link is opened (Lago's behaviour, and the default). Anyone who sees the link (browser history, a
     * {@code Referer}, a screenshot) can use it as long as it lives.
     */
    REUSABLE,
    /**
     * The link opens the portal once: its token can only be {@linkplain PortalService#exchange exchanged}, exactly
     * once, for a short-lived session token with a sliding idle timeout, which the page keeps in memory. A second
     * exchange is refused ({@code link_already_used}) and audited, so a leaked link is useless once it has been used.
     */
    ONE_TIME
}
