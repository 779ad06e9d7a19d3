package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.session.SessionRequest;
import dev.billingportal.core.token.JwtTokenSigner;
import dev.billingportal.core.token.KeyRing;
import dev.billingportal.core.token.SigningKey;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens and cursors made before the fuzz starts (those are the only writes, and the guard is not armed yet): what
 * {@link PortalApiFuzzContract} knows of its world, for {@link ApiFuzzGenerator} to send and
 * {@link ApiFuzzLegitimateWrites} to recognise.
 */
final class ApiFuzzMaterial {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A link of the fuzz, and whose it is. */
    record Link(String id, String token, Who owner) {
    }

    /** Per link mode, the token of each customer that calls the API: a reusable link, an exchanged session. */
    final Map<LinkMode, Map<Who, String>> valid = new java.util.EnumMap<>(LinkMode.class);
    /** One-time links, not exchanged yet: each can be exchanged once during the fuzz. */
    final Map<String, Link> links = new LinkedHashMap<>();
    final Map<String, List<String>> bad = new LinkedHashMap<>();
    final List<String> cursors = new ArrayList<>();
    final List<String> sessionIds = new ArrayList<>();
    final String assetEtag;

    ApiFuzzMaterial(PortalWorld world, int oneTimeLinks) {
        for (LinkMode mode : LinkMode.values()) {
            Map<Who, String> tokens = new java.util.EnumMap<>(Who.class);
            for (Who who : Who.values()) {
                PortalSession session = world.login(who, mode);
                tokens.put(who, session.token());
                sessionIds.add(session.id());
                // cursors of every customer: each session may use only its own
                cursors.add(firstCursor(world, mode, session.token()));
            }
            valid.put(mode, tokens);
        }
        for (int i = 0; i < oneTimeLinks; i++) {
            Who owner = Who.values()[i % Who.values().length];
            PortalSession link = world.link(owner, LinkMode.ONE_TIME);
            links.put(link.id(), new Link(link.id(), link.token(), owner));
            sessionIds.add(link.id());
        }
        PortalSession revoked = world.login(Who.A);
        world.service.revokeSession(revoked.id());
        sessionIds.add(revoked.id());
        PortalSession revokedLink = world.link(Who.B, LinkMode.ONE_TIME);
        world.oneTime.revokeSession(revokedLink.id());
        sessionIds.add(revokedLink.id());
        bad.put("revoked", List.of(revoked.token(), revokedLink.token()));
        PortalService expired = world.service.toBuilder()
                .clock(Clock.fixed(PortalWorld.NOW.minus(Duration.ofHours(13)), ZoneOffset.UTC)).build();
        bad.put("expired", List.of(mint(expired, Who.B, sessionIds)));
        PortalService future = world.service.toBuilder()
                .clock(Clock.fixed(PortalWorld.NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC)).build();
        bad.put("not yet valid", List.of(mint(future, Who.A_PRIME, sessionIds)));
        PortalService otherSecret = world.service.toBuilder()
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("world-1")))).build();
        PortalService otherKid = world.service.toBuilder()
                .tokenSigner(JwtTokenSigner.hs256(KeyRing.of(SigningKey.generateHs256("someone-else")))).build();
        PortalService otherIssuer = world.service.toBuilder().issuer("another-portal").build();
        PortalService longLived = world.service.toBuilder().sessionTtl(Duration.ofDays(7)).build();
        bad.put("foreign", List.of(mint(otherSecret, Who.A, sessionIds), mint(otherKid, Who.B, sessionIds),
                mint(otherIssuer, Who.A, sessionIds), mint(longLived, Who.A_PRIME, sessionIds)));
        List<String> tampered = new ArrayList<>();
        for (Map<Who, String> tokens : valid.values()) {
            for (String token : tokens.values()) {
                for (int at : new int[] {3, token.indexOf('.') + 5, token.lastIndexOf('.') + 5, token.length() - 2}) {
                    char c = token.charAt(at);
                    tampered.add(token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1));
                }
                String[] parts = token.split("\\.");
                tampered.add(parts[0] + "." + parts[1] + ".");
                tampered.add("eyJhbGciOiJub25lIn0." + parts[1] + ".");
                tampered.add(parts[0] + "." + parts[1]);
                tampered.add(token + "." + parts[2]);
                tampered.add(token.substring(0, token.length() - 1));
                tampered.add(token + "=");
            }
        }
        bad.put("tampered", tampered);
        bad.put("garbage", List.of("", " ", "x", "a.b.c", "...", "eyJ.eyJ.eyJ", "null", "undefined",
                "é.é.é", "😀", "a".repeat(5000), "%00", "eyJhbGciOiJIUzI1NiJ9..", "\t"));
        assetEtag = world.call("GET", world.api.uiPath() + "/assets/portal.js", null, null).header("ETag").orElseThrow();
    }

    /** The customer whose valid token (of either portal) this is, if it is one. */
    Who owner(String token) {
        for (Map<Who, String> tokens : valid.values()) {
            for (Map.Entry<Who, String> entry : tokens.entrySet()) {
                if (entry.getValue().equals(token)) {
                    return entry.getKey();
                }
            }
        }
        return null;
    }

    private static String mint(PortalService service, Who who, List<String> sessionIds) {
        PortalSession session = service.createSession(SessionRequest.forCustomer(who.ref()));
        sessionIds.add(session.id());
        return session.token();
    }

    private static String firstCursor(PortalWorld world, LinkMode mode, String token) {
        PortalResponse page = world.call(mode, "GET", world.api.basePath() + "/invoices", "limit=1", token);
        try {
            return JSON.readTree(page.bodyAsString()).get("next_cursor").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
