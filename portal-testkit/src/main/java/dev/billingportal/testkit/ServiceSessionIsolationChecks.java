package dev.billingportal.testkit;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEvent;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.assertServiceRefuses;
import static dev.billingportal.testkit.IsolationRun.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link PortalService} session checks of {@link PortalIsolationContract}, part of that contract: one method per
 * session method of {@code PortalService}, named after it. Authentication resolves the token's own customer,
 * {@code createSession} is scoped by tenant, the exchange opens a session of the link's customer only (once for a
 * one-time link), revocations act on the named session or customer only, and the audit trail of a customer holds
 * exactly that customer's events.
 */
final class ServiceSessionIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    ServiceSessionIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    void authenticate(Who viewer) {
        for (Who who : Who.values()) {
            PortalContext ctx = run.portal().authenticate(world.login(who, run.mode()).token());
            assertThat(ctx.customer()).as("the customer of %s's token", who).isEqualTo(world.customer(who));
            assertThat(ctx.scope()).isEqualTo(who.scope());
        }
    }

    void createSession(Who viewer) {
        for (String tenant : List.of(PortalWorld.TENANT_T, PortalWorld.TENANT_U)) {
            SessionRequest request = SessionRequest.forCustomer(viewer.externalId).tenant(tenant);
            Who holder = Arrays.stream(Who.values())
                    .filter(w -> w.tenant.equals(tenant) && w.externalId.equals(viewer.externalId)).findFirst().orElse(null);
            if (holder == null) {
                assertServiceRefuses(() -> run.portal().createSession(request), ErrorCode.NOT_FOUND, "customer_not_found");
            } else {
                PortalSession session = run.portal().createSession(request);
                world.track(holder, session);
                assertThat(session.customer()).isEqualTo(holder.ref());
                String token = session.token();
                if (run.mode() == LinkMode.ONE_TIME) {
                    assertServiceRefuses(() -> run.portal().authenticate(session.token()), ErrorCode.UNAUTHORIZED,
                            "exchange_required");
                    PortalSession exchanged = run.portal().exchange(session.token(), PortalWorld.CLIENT);
                    world.track(holder, exchanged);
                    token = exchanged.token();
                }
                assertThat(run.portal().authenticate(token).customer()).isEqualTo(world.customer(holder));
            }
        }
    }

    void exchange(Who viewer) {
        PortalSession link = world.link(viewer, run.mode());
        PortalSession session = run.portal().exchange(link.token(), PortalWorld.CLIENT);
        assertThat(session.customer()).isEqualTo(viewer.ref());
        assertThat(run.portal().authenticate(session.token()).customer()).isEqualTo(world.customer(viewer));
        if (run.mode() == LinkMode.REUSABLE) {
            assertThat(session.token()).isEqualTo(link.token());
            assertThat(session.id()).isEqualTo(link.id());
            return;
        }
        world.track(viewer, session);
        assertThat(session.id()).isNotEqualTo(link.id());
        assertThat(session.url()).as("an exchanged session has no URL").isNull();
        assertServiceRefuses(() -> run.portal().exchange(link.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                "link_already_used");
        assertServiceRefuses(() -> run.portal().exchange(session.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                "invalid_token");
        for (Who other : viewer.others()) {
            PortalSession theirs = run.portal().exchange(world.link(other, run.mode()).token(), PortalWorld.CLIENT);
            world.track(other, theirs);
            assertThat(run.portal().authenticate(theirs.token()).customer()).isEqualTo(world.customer(other));
        }
    }

    void revokeSession(Who viewer) {
        PortalSession target = world.login(viewer, run.mode());
        PortalSession sibling = world.login(viewer, run.mode());
        Map<Who, PortalSession> others = new LinkedHashMap<>();
        viewer.others().forEach(other -> others.put(other, world.login(other, run.mode())));

        assertThat(run.portal().revokeSession(target.id())).isTrue();
        world.revoked(viewer, target.id());
        assertRevoked(target);
        assertThat(run.portal().authenticate(sibling.token()).customer()).isEqualTo(world.customer(viewer));
        others.forEach((other, session) -> assertThat(run.portal().authenticate(session.token()).customer())
                .as("%s after %s's session was revoked", other, viewer).isEqualTo(world.customer(other)));
        assertThat(run.portal().revokeSession(target.id())).as("revoking twice").isFalse();
    }

    void revokeAllSessions(Who viewer) {
        List<PortalSession> own = List.of(world.login(viewer, run.mode()), world.login(viewer, run.mode()));
        Map<Who, PortalSession> others = new LinkedHashMap<>();
        viewer.others().forEach(other -> others.put(other, world.login(other, run.mode())));
        int live = world.liveSessionCount(viewer);

        assertThat(run.portal().revokeAllSessions(viewer.ref())).as("sessions of %s revoked", viewer).isEqualTo(live);
        world.allRevoked(viewer);
        own.forEach(this::assertRevoked);
        others.forEach((other, session) -> assertThat(run.portal().authenticate(session.token()).customer())
                .as("%s after revoking every session of %s", other, viewer).isEqualTo(world.customer(other)));
        assertThat(run.portal().revokeAllSessions(viewer.ref())).as("revoking again").isZero();
    }

    /**
     * Everything audited for every customer, in a time window of its own: the viewer's trail holds exactly the
     * viewer's events (tenant and external id), none of the others', A's never A''s.
     */
    void auditTrailOf(Who viewer) {
        java.time.Instant since = PortalWorld.NOW.plus(java.time.Duration.ofDays(1 + run.nextWindow()));
        PortalService later = run.portal().toBuilder().clock(java.time.Clock.fixed(since, java.time.ZoneOffset.UTC)).build();
        Map<Who, Set<String>> sessionIds = new LinkedHashMap<>();
        for (Who who : Who.values()) {
            Set<String> ids = new LinkedHashSet<>();
            PortalSession link = later.createSession(SessionRequest.forCustomer(who.ref()).client(PortalWorld.CLIENT));
            ids.add(link.id());
            String token = link.token();
            if (run.mode() == LinkMode.ONE_TIME) {
                PortalSession session = later.exchange(link.token(), PortalWorld.CLIENT);
                ids.add(session.id());
                token = session.token();
                assertServiceRefuses(() -> later.exchange(link.token(), PortalWorld.CLIENT), ErrorCode.UNAUTHORIZED,
                        "link_already_used");
            }
            PortalContext ctx = later.authenticate(token, PortalWorld.CLIENT);
            Invoice own = world.invoices.get(who).stream().filter(i -> i.status().visibleInPortal()).findFirst().orElseThrow();
            later.downloadInvoice(ctx, own.id());
            PortalSession revoked = later.createSession(SessionRequest.forCustomer(who.ref()));
            ids.add(revoked.id());
            later.revokeSession(revoked.id());
            later.revokeAllSessions(who.ref());
            world.allRevoked(who);
            sessionIds.put(who, ids);
        }
        List<AuditEvent> events = later.auditTrail().find(viewer.ref(), since, AuditTrail.MAX_FIND_LIMIT);
        assertThat(events).as("audit events of %s", viewer).isNotEmpty()
                .allSatisfy(event -> {
                    assertThat(event.customer()).isEqualTo(viewer.ref());
                    if (event.sessionId() != null) {
                        assertThat(sessionIds.get(viewer)).as("session of %s", event).contains(event.sessionId());
                    }
                    if (event.linkId() != null) {
                        assertThat(sessionIds.get(viewer)).as("link of %s", event).contains(event.linkId());
                    }
                    if (event.invoiceId() != null) {
                        assertThat(world.visible(viewer, event.invoiceId())).as("invoice of %s", event).isPresent();
                    }
                });
        List<AuditEventType> expected = new ArrayList<>(List.of(AuditEventType.SESSION_CREATED,
                AuditEventType.INVOICE_DOWNLOADED, AuditEventType.SESSION_CREATED, AuditEventType.SESSION_REVOKED,
                AuditEventType.ALL_SESSIONS_REVOKED));
        if (run.mode() == LinkMode.ONE_TIME) {
            expected.addAll(List.of(AuditEventType.SESSION_EXCHANGED, AuditEventType.LINK_REPLAY_REFUSED));
        }
        assertThat(events.stream().map(AuditEvent::type).toList()).as("what was audited for %s", viewer)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private void assertRevoked(PortalSession session) {
        assertServiceRefuses(() -> run.portal().authenticate(session.token()), ErrorCode.UNAUTHORIZED, "session_revoked");
        PortalResponse first = null;
        for (String route : PortalApi.API_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "inv-shared-1");
            if (route.equals("GET /messages")) {
                continue; // needs no token
            }
            if (!method.equals("GET") && !route.equals("POST /session")) {
                PortalResponse response = world.write(run.mode(), method, world.api.basePath() + path, "{}", null, session.token());
                assertThat(response.status()).as(route).isEqualTo(401);
                assertThat(json(response).get("code").asText()).as(route).isEqualTo("session_revoked");
                continue;
            }
            if (!method.equals("GET")) {
                // the exchange: a revoked link is refused as revoked, a session's token (revoked or not) as no link
                PortalResponse response = world.call(run.mode(), method, world.api.basePath() + path, null, session.token());
                assertThat(response.status()).as(route).isEqualTo(401);
                assertThat(json(response).get("code").asText()).as(route)
                        .isEqualTo(run.mode() == LinkMode.ONE_TIME ? "invalid_token" : "session_revoked");
                continue;
            }
            PortalResponse response = run.api(path, null, session.token());
            assertThat(response.status()).as(route).isEqualTo(401);
            assertThat(json(response).get("code").asText()).as(route).isEqualTo("session_revoked");
            if (first == null) {
                first = response;
            }
            assertSameResponse(response, first, route + " with a revoked token");
        }
    }
}
