package dev.billingportal.core;

/**
 * The stable category of a {@link PortalException}, with the HTTP status and the Lago-style
 * {@code error} phrase it maps to.
 *
 * <p>Callers branch on this code, never on messages. The finer-grained {@link PortalException#reason()}
 * (for example {@code invoice_not_found}) is what an HTTP client sees as {@code code}.
 */
public enum ErrorCode {
    /** The request is malformed (an unreadable cursor or query string): HTTP 400. */
    INVALID_REQUEST(400, "Bad Request"),
    /** No credentials, or credentials that do not verify: HTTP 401. */
    UNAUTHORIZED(401, "Unauthorized"),
    /** The credentials verified but their lifetime is over: HTTP 401. */
    TOKEN_EXPIRED(401, "Unauthorized"),
    /** Authenticated, but not allowed to do this: HTTP 403. */
    FORBIDDEN(403, "Forbidden"),
    /** The thing does not exist for this customer (or exists for another one; both look the same): HTTP 404. */
    NOT_FOUND(404, "Not Found"),
    /** The input was read but is not acceptable; {@link PortalException#details()} says per field why: HTTP 422. */
    VALIDATION_ERROR(422, "Unprocessable Entity"),
    /** The write collides with existing state: HTTP 409. */
    CONFLICT(409, "Conflict"),
    /** The request's body is larger than the endpoint accepts. */
    PAYLOAD_TOO_LARGE(413, "Payload Too Large"),
    /** A write's body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type"),
    /** Storage or another collaborator failed; retrying later may succeed: HTTP 503. */
    UNAVAILABLE(503, "Service Unavailable");

    private final int httpStatus;
    private final String httpPhrase;

    ErrorCode(int httpStatus, String httpPhrase) {
        this.httpStatus = httpStatus;
        this.httpPhrase = httpPhrase;
    }

    /** The HTTP status this category answers with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The reason phrase used as {@code error} in Lago-shaped error bodies. */
    public String httpPhrase() {
        return httpPhrase;
    }
}
