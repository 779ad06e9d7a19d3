package dev.billingportal.testkit;

import dev.billingportal.core.session.LinkMode;
import dev.billingportal.testkit.PortalWorld.Who;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The headers of the requests {@link ApiFuzzGenerator} makes for {@link PortalApiFuzzContract}: the
 * {@code Authorization} of an exchange (one-time links fresh or used, session tokens, junk) and of any other request
 * (valid, revoked, expired, tampered and foreign tokens, duplicate or odd-cased headers), the {@code Idempotency-Key}
 * of a write, and the others ({@code Accept-Language}, {@code If-None-Match}, {@code Content-Type}, random names),
 * drawn from the generator's {@link ApiFuzzDice}.
 */
final class ApiFuzzHeaders {
    private final Random random;
    private final ApiFuzzDice dice;
    private final ApiFuzzMaterial material;

    ApiFuzzHeaders(ApiFuzzDice dice, ApiFuzzMaterial material) {
        this.random = dice.random;
        this.dice = dice;
        this.material = material;
    }

    private <T> T pick(List<T> list) {
        return dice.pick(list);
    }

    private boolean chance(double p) {
        return dice.chance(p);
    }

    private String randomText(int length) {
        return dice.randomText(length);
    }

    /** What an exchange is tried with: a one-time link (fresh or used), a session's token, a reusable link, junk. */
    Who exchangeAuthorization(Map<String, List<String>> headers, LinkMode mode) {
        double roll = random.nextDouble();
        Who owner = null;
        String token;
        if (roll < 0.45) {
            // now and then one of a few links, so that some are presented again after their exchange
            List<ApiFuzzMaterial.Link> links = List.copyOf(material.links.values());
            ApiFuzzMaterial.Link link = chance(0.4) ? links.get(random.nextInt(10)) : pick(links);
            token = link.token();
            owner = link.owner();
        } else if (roll < 0.7) {
            // a session's token (never exchangeable), or on the reusable portal its own link (answered as is);
            // never a reusable link on the one-time portal, which would exchange it and end it for the other
            Who who = pick(List.of(Who.values()));
            token = mode == LinkMode.REUSABLE && chance(0.5) ? material.valid.get(LinkMode.REUSABLE).get(who)
                    : material.valid.get(LinkMode.ONE_TIME).get(who);
            owner = who;
        } else {
            token = pick(pick(List.copyOf(material.bad.values())));
        }
        headers.put("Authorization", List.of((chance(0.9) ? "Bearer " : "bearer ") + token));
        return owner;
    }

    /** Sets the Authorization header, or not; the customer when it holds exactly one valid token. */
    Who authorization(Map<String, List<String>> headers, LinkMode mode) {
        double roll = random.nextDouble();
        Who owner = null;
        List<String> values = new ArrayList<>();
        List<String> anyValid = material.valid.values().stream().flatMap(tokens -> tokens.values().stream()).toList();
        if (roll < 0.1) {
            return null;
        } else if (roll < 0.62) {
            owner = pick(List.of(Who.values()));
            String token = material.valid.get(mode).get(owner);
            if (chance(0.1)) {
                // a one-time link: the reusable portal takes it until it is exchanged, the one-time portal never
                ApiFuzzMaterial.Link link = pick(List.copyOf(material.links.values()));
                token = link.token();
                owner = link.owner();
            } else if (mode == LinkMode.REUSABLE && chance(0.05)) {
                // the other portal's token; never a reusable link to the one-time portal, where any POST /session
                // would exchange it and end it for the reusable portal's requests
                token = material.valid.get(LinkMode.ONE_TIME).get(owner);
            }
            values.add(switch (random.nextInt(10)) {
                case 0 -> "bearer " + token;
                case 1 -> "BEARER " + token;
                case 2 -> "Bearer   " + token + "  ";
                default -> "Bearer " + token;
            });
        } else if (roll < 0.87) {
            List<String> kind = pick(List.copyOf(material.bad.values()));
            values.add("Bearer " + pick(kind));
        } else {
            String token = pick(anyValid);
            values.add(switch (random.nextInt(12)) {
                case 0 -> "Bearer";
                case 1 -> "Bearer ";
                case 2 -> token;
                case 3 -> "Basic " + java.util.Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
                case 4 -> "Token " + token;
                case 5 -> "Bearer " + token + " " + token;
                case 6 -> "Bearer " + token + "," + token;
                case 7 -> "Bearer " + "x".repeat(100_000);
                case 8 -> "Bearer " + randomText(50);
                case 9 -> "Bearer\t" + token;
                case 10 -> "";
                default -> "Bearer " + token.toUpperCase(java.util.Locale.ROOT);
            });
        }
        String name = pick(List.of("Authorization", "authorization", "AUTHORIZATION", "aUtHoRiZaTiOn"));
        headers.put(name, values);
        if (chance(0.05)) {
            // a second Authorization header, under another spelling: never to be picked from
            String other = name.equals("Authorization") ? "authorization" : "Authorization";
            headers.put(other, List.of("Bearer " + pick(anyValid)));
            owner = null;
        }
        return owner;
    }

    /** An {@code Idempotency-Key} now and then: fresh, reused from a small pool (replays), or malformed. */
    void idempotencyKey(Map<String, List<String>> headers) {
        double roll = random.nextDouble();
        if (roll < 0.3) {
            headers.put("Idempotency-Key", List.of("fuzz-" + random.nextLong()));
        } else if (roll < 0.7) {
            headers.put("Idempotency-Key", List.of("pool-" + random.nextInt(6)));
        } else if (roll < 0.82) {
            headers.put("Idempotency-Key", List.of(pick(List.of("", " ", "x".repeat(256), "é", "a b", "\t"))));
        } else if (roll < 0.85) {
            headers.put("Idempotency-Key", List.of("k1", "k2"));
        }
    }

    void extraHeaders(Map<String, List<String>> headers) {
        if (chance(0.3)) {
            headers.put("Accept-Language", List.of(pick(List.of("fr-CH, fr;q=0.9, en;q=0.8", "*", "xx", "q=2",
                    ";;;", "de;q=0", "ja-JP", "x".repeat(1000), "en;q=abc", "zh-Hant;q=0.5,,,", "😀"))));
        }
        if (chance(0.15)) {
            headers.put("If-None-Match", List.of(pick(List.of("*", "\"abc\"", material.assetEtag,
                    "W/" + material.assetEtag, material.assetEtag + ", \"x\"", "", "\"" + "x".repeat(5000) + "\""))));
        }
        if (chance(0.1)) {
            headers.put("Content-Type", List.of(pick(List.of("application/json", "text/plain", "multipart/form-data; boundary=x", ""))));
        }
        if (chance(0.05)) {
            headers.put(randomText(1 + random.nextInt(20)), List.of(randomText(random.nextInt(chance(0.1) ? 50_000 : 50))));
        }
    }
}
