package dev.billingportal.core.token;

import java.util.Optional;

/**
 * What a portal token is, written into it as the signed claim {@code knd}, so that one kind can never pass for the
 * other (and a return link, {@link #RETURN}, is neither): a link token cannot call the API in {@link dev.billingportal.core.session.LinkMode#ONE_TIME} mode, and a session
 * token can never be exchanged.
 */
public enum TokenKind {
    /** The token of a link, minted by {@code createSession}; tokens without a {@code knd} claim are links. */
    LINK("link"),
    /** The token of a session obtained by exchanging a one-time link; never put in a URL. */
    SESSION("session"),
    /**
     * The token of a <em>return link</em>: put by the portal into the address a payment provider's hosted page sends
     * the customer back to, so the page can resume the session it left. It calls no API: it can only be exchanged,
     * once, for a session of the same customer, configuration, language, back link and flow.
     */
    RETURN("return");

    private final String claim;

    TokenKind(String claim) {
        this.claim = claim;
    }

    /**
     * The value of the {@code knd} claim.
     *
     * @return {@code link} or {@code session}
     */
    public String claim() {
        return claim;
    }

    /**
     * The kind whose claim value is {@code claim}.
     *
     * @param claim a {@code knd} claim value
     * @return the kind, or empty for anything else (such a token is refused)
     */
    public static Optional<TokenKind> fromClaim(String claim) {
        for (TokenKind kind : values()) {
            if (kind.claim.equals(claim)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
