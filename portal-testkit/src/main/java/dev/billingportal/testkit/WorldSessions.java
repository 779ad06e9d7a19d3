package dev.billingportal.testkit;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.testkit.PortalWorld.Who;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.billingportal.testkit.PortalWorld.CLIENT;

/**
 * The sessions of {@link PortalWorld}, the world of {@link PortalIsolationContract} and {@link PortalApiFuzzContract}:
 * it mints each customer's links and sessions on the world's two portals (reusable and one-time links), and tracks, by
 * owner, those not yet revoked, so a check can tell how many of a customer's sessions should still be live.
 */
final class WorldSessions {
    /** The portal with reusable links (the default). */
    private final PortalService service;
    /** The same portal with one-time links. */
    private final PortalService oneTime;
    /** Session ids minted through {@link #login}, by owner, that were not revoked through this world. */
    private final Map<Who, Set<String>> liveSessions = new ConcurrentHashMap<>();

    /** Sessions minted on the world's portals: {@code service} (reusable links), {@code oneTime} (one-time links). */
    WorldSessions(PortalService service, PortalService oneTime) {
        this.service = service;
        this.oneTime = oneTime;
    }

    private PortalService service(LinkMode mode) {
        return mode == LinkMode.ONE_TIME ? oneTime : service;
    }

    /** A new session of {@code who}, with a return URL of its own: a reusable link. */
    PortalSession login(Who who) {
        return login(who, LinkMode.REUSABLE);
    }

    /**
     * What {@code who} calls the API with in {@code mode}: a reusable link, or the session exchanged from a new
     * one-time link (the link itself is tracked too, as it stays revocable).
     */
    PortalSession login(Who who, LinkMode mode) {
        PortalSession link = link(who, mode);
        if (mode == LinkMode.REUSABLE) {
            return link;
        }
        PortalSession session = oneTime.exchange(link.token(), CLIENT);
        track(who, session);
        return session;
    }

    /** A new link of {@code who}, not exchanged. */
    PortalSession link(Who who, LinkMode mode) {
        PortalSession link = service(mode).createSession(SessionRequest.forCustomer(who.ref()).returnUrl(who.returnUrl())
                .client(CLIENT));
        track(who, link);
        return link;
    }

    /** Records a session of {@code who} minted elsewhere, so {@link #liveSessionCount} counts it. */
    void track(Who who, PortalSession session) {
        liveSessions.computeIfAbsent(who, w -> ConcurrentHashMap.newKeySet()).add(session.id());
    }

    /** How many sessions minted by {@link #login} for {@code who} are still live. */
    int liveSessionCount(Who who) {
        return liveSessions.getOrDefault(who, Set.of()).size();
    }

    /** Records that {@code who}'s session was revoked. */
    void revoked(Who who, String sessionId) {
        liveSessions.getOrDefault(who, ConcurrentHashMap.newKeySet()).remove(sessionId);
    }

    /** Records that every session of {@code who} was revoked. */
    void allRevoked(Who who) {
        liveSessions.remove(who);
    }
}
