package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.billingportal.testkit.IsolationRun.assertServiceRefuses;
import static dev.billingportal.testkit.IsolationRun.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange route of {@link PortalIsolationContract}, part of that contract: {@code POST /session} opens a session
 * of the link's customer only, once for a one-time link, never for a session's token, and revoking the link ends
 * that session and nobody else's.
 */
final class ExchangeIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    ExchangeIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    /**
     * The exchange: a link of the viewer's opens a session of the viewer's only; in one-time mode once, never for a
     * session's token, and revoking the link ends that session and nobody else's.
     */
    void exchangeRoute(Who viewer) throws Exception {
        String path = world.api.basePath() + "/session";
        PortalSession link = world.link(viewer, run.mode());
        PortalResponse exchanged = world.call(run.mode(), "POST", path, null, link.token());
        run.assertNoForeignData(viewer, exchanged);
        for (String method : List.of("GET", "HEAD", "PUT")) {
            PortalResponse refused = world.call(run.mode(), method, path, null, link.token());
            assertThat(refused.status()).as("%s /session", method).isEqualTo(405);
            assertThat(refused.header("Allow")).contains("POST");
        }
        assertThat(exchanged.status()).as("POST /session with %s's link: %s", viewer, exchanged.bodyAsString())
                .isEqualTo(run.mode() == LinkMode.REUSABLE ? 200 : 201);
        JsonNode session = json(exchanged).get("session");
        String token = session.get("token").asText();
        if (run.mode() == LinkMode.REUSABLE) {
            assertThat(exchanged.status()).isEqualTo(200);
            assertThat(token).as("a reusable link is its own session").isEqualTo(link.token());
            assertThat(session.get("idle_timeout_seconds").isNull()).isTrue();
            assertThat(world.call(run.mode(), "POST", path, null, link.token()).status()).as("again").isEqualTo(200);
            return;
        }
        assertThat(exchanged.status()).isEqualTo(201);
        PortalContext ctx = run.portal().authenticate(token);
        world.track(viewer, new PortalSession(ctx.sessionId(), viewer.ref(), PortalWorld.NOW, ctx.expiresAt(), null, null,
                null, null, token, null));
        assertThat(ctx.customer()).isEqualTo(world.customer(viewer));
        assertThat(run.ok(run.api("/customer", null, token), viewer).get("customer").get("name").asText()).isEqualTo(viewer.name);

        PortalResponse replay = world.call(run.mode(), "POST", path, null, link.token());
        assertThat(replay.status()).isEqualTo(401);
        assertThat(json(replay).get("code").asText()).isEqualTo("link_already_used");
        PortalResponse sessionToken = world.call(run.mode(), "POST", path, null, token);
        assertThat(sessionToken.status()).isEqualTo(401);
        assertThat(json(sessionToken).get("code").asText()).as("a session's token is no link").isEqualTo("invalid_token");

        Map<Who, String> others = new LinkedHashMap<>();
        viewer.others().forEach(other -> others.put(other, world.login(other, run.mode()).token()));
        assertThat(run.portal().revokeSession(link.id())).as("revoking the used link").isTrue();
        world.revoked(viewer, link.id());
        world.revoked(viewer, ctx.sessionId());
        assertServiceRefuses(() -> run.portal().authenticate(token), ErrorCode.UNAUTHORIZED, "session_revoked");
        others.forEach((other, otherToken) -> assertThat(run.portal().authenticate(otherToken).customer())
                .as("%s after %s's link was revoked", other, viewer).isEqualTo(world.customer(other)));
    }
}
