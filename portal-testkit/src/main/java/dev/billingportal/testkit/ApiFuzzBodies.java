package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.billingportal.testkit.ApiFuzzWriteRoutes.PAYMENT_WRITES;

/**
 * The bodies of the requests {@link ApiFuzzGenerator} makes for {@link PortalApiFuzzContract}: for a write, valid ones
 * (profile edits, subscription actions with a fresh preview, payment writes, top-ups) and every way a body can be
 * wrong; for any other request, now and then a stray body. Drawn from the generator's {@link ApiFuzzDice}.
 */
final class ApiFuzzBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VALID_PHONES = List.of("+1 555 0100", "+33 1 23 45 67 89", "020 7946 0000",
            "(555) 010-0200");
    private static final List<String> VALID_NAMES = List.of("Fuzz Legal One", "Fuzz Légal Deux", "ファズ", "Fuzz SA");

    private final Random random;
    private final ApiFuzzDice dice;
    private final PortalWorld world;
    private final ApiFuzzMaterial material;

    ApiFuzzBodies(ApiFuzzDice dice, PortalWorld world, ApiFuzzMaterial material) {
        this.random = dice.random;
        this.dice = dice;
        this.world = world;
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

    /** A top-up body: mostly a valid amount, else at or past the limits, malformed, or not a string. */
    private String topUpBody() {
        if (chance(0.6)) {
            return "{\"credits\":\"" + pick(List.of("1.00", "1", "12.50", "50", "999.99", "1000.00", "1000")) + "\"}";
        }
        return "{\"credits\":" + pick(List.of("\"0.99\"", "\"1000.01\"", "\"12.345\"", "\"-5\"", "\"0\"",
                "\"0.00\"", "\"99999999999999999999999\"", "\"abc\"", "\"1e2\"", "\"1E+2\"", "12.5", "50",
                "5e1", "true", "null", "{}", "[]", "\" 50\"", "\"+5\"", "\"NaN\"", "\".5\"", "\"\"",
                "\"" + "9".repeat(100) + "\"")) + (chance(0.1) ? ",\"wallet_id\":\"wal-t-b-1\"" : "") + "}";
    }

    /** A body for a subscription write, mostly valid; a change carries a fresh preview of the owner's session. */
    private String subscriptionBody(String route, Who owner, LinkMode mode, String id) {
        List<String> plans = new ArrayList<>(PortalWorld.OFFERED_PLANS);
        plans.add("secret");
        return switch (route) {
            case "POST /subscriptions/{id}/preview" -> "{\"plan_code\":\""
                    + (chance(0.9) ? pick(PortalWorld.OFFERED_PLANS) : pick(plans)) + "\"}";
            case "POST /subscriptions/{id}/change" -> {
                String plan = pick(PortalWorld.OFFERED_PLANS);
                String previewId = "garbage";
                if (owner != null && id != null && chance(0.9)) {
                    PortalResponse preview = world.write(mode, "POST", world.api.basePath() + "/subscriptions/" + id
                            + "/preview", "{\"plan_code\":\"" + plan + "\"}", null, material.valid.get(mode).get(owner));
                    if (preview.status() == 200) {
                        try {
                            previewId = JSON.readTree(preview.body().toByteArray()).get("preview").get("id").asText();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
                yield "{\"plan_code\":\"" + (chance(0.95) ? plan : "secret") + "\",\"preview_id\":\"" + previewId + "\"}";
            }
            case "POST /subscriptions/{id}/cancel" -> "{\"reason\":" + pick(List.of("\"too_expensive\"", "\"other\"",
                    "null", "\"unused\"", "\"\"")) + ",\"comment\":" + pick(List.of("\"fuzz\"", "null", "\"\"",
                    "\"" + "x".repeat(501) + "\"", "\"Trop cher 😀\"")) + "}";
            default -> "{}";
        };
    }

    /**
     * A body for a write: most of the time JSON with the right content type, valid profile changes among them (the
     * only legitimate writes), and every way a body can be wrong: broken, huge, deep, duplicate keys, wrong types,
     * unknown fields (mass assignment of ids or another customer), fields the configuration does not allow,
     * control characters and lone surrogates.
     */
    byte[] writeBody(Map<String, List<String>> headers, String route, Who owner, LinkMode mode, String id) {
        if (chance(0.85)) {
            headers.put(pick(List.of("Content-Type", "content-type")), List.of(pick(List.of("application/json",
                    "application/json", "application/json; charset=utf-8", "Application/JSON"))));
        }
        if (route != null && route.startsWith("POST /subscriptions/") && chance(0.8)) {
            return subscriptionBody(route, owner, mode, id).getBytes(StandardCharsets.UTF_8);
        }
        if (route != null && PAYMENT_WRITES.containsKey(route) && chance(0.8)) {
            return "{}".getBytes(StandardCharsets.UTF_8); // the payment writes take no fields
        }
        if ("POST /wallets/{id}/top_up".equals(route) && chance(0.8)) {
            return topUpBody().getBytes(StandardCharsets.UTF_8);
        }
        if ("PATCH /customer".equals(route) && chance(0.3)) {
            // a valid edit now and then: the routes are many, and each needs its successes
            return ("{\"phone\":\"" + pick(VALID_PHONES) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        String json = switch (random.nextInt(24)) {
            case 0, 1, 2, 3 -> "{\"phone\":\"" + pick(VALID_PHONES) + "\"}";
            case 4, 5 -> "{\"legal_name\":\"" + pick(VALID_NAMES) + "\"}";
            case 6 -> "{\"billing_address\":{\"line1\":\"1 Fuzz Street\",\"city\":\"Lyon\",\"zipcode\":\"69001\","
                    + "\"country\":\"" + pick(List.of("FR", "DE", "XX", "fr", "FRA", "")) + "\"}}";
            case 7 -> "{\"document_locale\":\"" + pick(List.of("fr", "de-CH", "xx", "ko", "", "pt-BR")) + "\"}";
            case 8 -> "{\"email\":\"" + pick(List.of("fuzz@example.com", "not-an-email", "a@b@c", "", " ")) + "\"}";
            case 9 -> "{\"tax_id\":\"FUZZ-1\"}";
            case 10 -> "{\"external_id\":\"ext-bob\",\"phone\":\"+1 555 0000\"}";
            case 11 -> "{\"tenant_id\":\"" + PortalWorld.TENANT_U + "\"}";
            case 12 -> "{\"phone\":\"+1 555 0001\",\"phone\":\"+1 555 0002\"}";
            case 13 -> "{\"phone\":" + pick(List.of("5", "5.5", "true", "[]", "{}", "1e400", "-0")) + "}";
            case 14 -> "{\"billing_address\":" + pick(List.of("\"x\"", "[]", "5", "{\"line9\":\"x\"}",
                    "{\"country\":5}")) + "}";
            case 15 -> "[".repeat(20 + random.nextInt(2000)) + "]".repeat(random.nextInt(30));
            case 16 -> "{\"a\":".repeat(30 + random.nextInt(200)) + "1" + "}".repeat(random.nextInt(230));
            case 17 -> "{\"legal_name\":\"" + "é".repeat(9_000) + "\"}";
            case 18 -> "{\"name\":\"\\u0000\\u001f\"}";
            case 19 -> "{\"name\":\"\\ud800\"}";
            case 20 -> "{\"name\":\"😀 日本 " + pick(List.of("ok", "\\n")) + "\"}";
            case 21 -> pick(List.of("", "{", "{}", "null", "[]", "\"x\"", "{\"phone\":}", "{} {}", "{\"phone\"\"x\"}"));
            case 22 -> "{}" + " ".repeat(17_000);
            default -> randomText(random.nextInt(300));
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    byte[] body() {
        if (chance(0.8)) {
            return null;
        }
        return switch (random.nextInt(5)) {
            case 0 -> "{\"customer\":{\"external_id\":\"ext-bob\"}}".getBytes(StandardCharsets.UTF_8);
            case 1 -> randomText(random.nextInt(200)).getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                byte[] bytes = new byte[random.nextInt(chance(0.1) ? 100_000 : 1000)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 3 -> "token=x&status=draft".getBytes(StandardCharsets.UTF_8);
            default -> new byte[0];
        };
    }
}
