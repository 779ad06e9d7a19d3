package dev.billingportal.core.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.internal.ApiJson;

import java.util.List;

/**
 * {@code POST /session}: the link's token for the session's. The token travels in the body of a POST answered with
 * {@code no-store}, never in a URL; the page keeps it in memory. A return link's token (the way back from a payment
 * provider's hosted page) is exchanged here too, once, in either link mode. The route authenticates itself (with the link's
 * token, which no other route accepts in {@link LinkMode#ONE_TIME}).
 */
public final class SessionRoutes implements RouteContributor {

    @Override
    public List<Route> routes() {
        return List.of(new Route("POST", "/session", null, false, false, SessionRoutes::exchange));
    }

    private static PortalResponse exchange(ApiCall call) {
        call.locale(); // the one parameter every endpoint takes
        PortalService portal = call.portal();
        String presented = Http.bearerToken(call.request());
        PortalSession session = portal.exchange(presented, call.request().client());
        // a new session (a one-time link's, or any return link's) has an idle timeout; a reusable link is its own
        boolean oneTime = portal.linkMode() == LinkMode.ONE_TIME || !session.token().equals(presented);
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ObjectNode node = body.putObject("session");
        node.put("token", session.token());
        node.put("expires_at", session.expiresAt().toString());
        if (oneTime) {
            node.put("idle_timeout_seconds", portal.exchangedSessionTtl().toSeconds());
        } else {
            node.putNull("idle_timeout_seconds");
        }
        return Http.json(oneTime ? 201 : 200, body);
    }
}
