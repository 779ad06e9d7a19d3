package dev.billingportal.core.api;

/** Answers one matched, authenticated (unless public), feature-checked request. */
@FunctionalInterface
public interface RouteHandler {

    /**
     * Answers the call.
     *
     * @param call the request with its route, session, parameters and body
     * @return the answer
     * @throws dev.billingportal.core.PortalException for any refusal; the pipeline maps it to its status and code
     */
    PortalResponse handle(ApiCall call);
}
