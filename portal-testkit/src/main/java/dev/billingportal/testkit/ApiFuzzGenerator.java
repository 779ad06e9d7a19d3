package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.testkit.ApiFuzzWriteRoutes.PaymentWrite;
import dev.billingportal.testkit.PortalWorld.Who;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static dev.billingportal.testkit.ApiFuzzWriteRoutes.PAYMENT_WRITES;
import static dev.billingportal.testkit.ApiFuzzWriteRoutes.SUBSCRIPTION_WRITES;

/**
 * The request generator of {@link PortalApiFuzzContract}: from the seeded {@link Random}, the next request for one of
 * the two portals, with random methods, paths, query strings, headers and bodies, and with what it is: whose valid
 * token alone it carries, and which write it attempts.
 */
final class ApiFuzzGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One generated request, for the portal of {@code mode}, with the customer whose valid token alone it carries, if
     * any, and whether it is an exchange or a download.
     */
    record Generated(PortalRequest request, LinkMode mode, Who owner, String kind, boolean exchange,
                     boolean download, boolean profileEdit, AuditEventType subscriptionWrite,
                     PaymentWrite paymentWrite, boolean topUp) {
    }

    private static final List<String> ODD_METHODS = List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", "get", "Get", "head", "PROPFIND", "", " GET", "GET ", "G\u00c9T", "GET\r\nX: y", "X".repeat(300));
    private static final String RESERVED = "/?#&=%+;:@$,!*'()[]\\\"<> .";
    private static final List<String> PARAMS = List.of("status", "payment_status", "overdue", "issued_from",
            "issued_to", "search", "limit", "cursor", "locale", "redirect", "token", "cursor", "cursor");
    private static final List<String> WEIRD = List.of("", " ", "%00", "%0A", "%0D%0A", "%1F", "%7F", "%C3%A9",
            "%E2%80%AE", "%F0%9F%98%80", "😀", "日本", "é", "%", "%G1", "%C3", "%C0%AF", "%ED%A0%80", "%FF", "+",
            "%2B", "&", "=", "%26", "%3D", "'", "%27", "\"", "<script>", "..", "%2E%2E", "%2F", "\\", "%5C",
            "null", "undefined", "[]", "{}", "NaN", "-0", "\u0000", "\t");

    private static final List<String> VALID_PHONES = List.of("+1 555 0100", "+33 1 23 45 67 89", "020 7946 0000",
            "(555) 010-0200");
    private static final List<String> VALID_NAMES = List.of("Fuzz Legal One", "Fuzz Légal Deux", "ファズ", "Fuzz SA");

    private final Random random;
    private final PortalWorld world;
    private final ApiFuzzMaterial material;
    private final List<String> ids = new ArrayList<>();
    private final List<String> subscriptionIds = new ArrayList<>();
    private final List<String> walletIds = new ArrayList<>(); // usage+wallets (branch usage)
    private final List<String> apiRoutes = PortalApi.API_ROUTES;
    /** The writes (but the exchange, which has its own share): picked more often, they need valid bodies to succeed. */
    private final List<String> writeRoutes = PortalApi.API_ROUTES.stream()
            .filter(route -> !route.startsWith("GET ") && !route.equals("POST /session")).toList();
    private final List<String> pageRoutes = PortalApi.PAGE_ROUTES;

    ApiFuzzGenerator(Random random, PortalWorld world, ApiFuzzMaterial material) {
        this.random = random;
        this.world = world;
        this.material = material;
        ids.addAll(world.allIds());
        subscriptionIds.addAll(world.allSubscriptionIds());
        subscriptionIds.addAll(List.of(PortalWorld.MISSING_SUBSCRIPTION, "SUB-T-A-1", "sub-shared-1%20", "sub%2Dshared-1"));
        walletIds.addAll(world.allWalletIds()); // usage+wallets (branch usage)
        walletIds.addAll(List.of(PortalWorld.MISSING_WALLET, "WAL-T-A-1", "wal-shared-1%20", "wal%2Dshared-1"));
        ids.addAll(List.of(PortalWorld.MISSING_ID, "INV-T-A-1", "inv-t-a-1%20", "%20inv-t-a-1", "inv-t-a-1%00",
                "..%2Finv-t-b-1", "..", ".", "%2E%2E", "inv%2Ft", "inv%5Ct", "x".repeat(255), "x".repeat(256),
                "y".repeat(10_000), "%C3%A9", "😀", "%F0%9F%98%80", "%", "%G0", "%C3", "%ED%A0%80", "inv-shared-1;x",
                "inv-shared-1?x", "inv-shared-1#x", "%2A", "*", "inv%252Dt"));
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    Generated next() {
        LinkMode mode = random.nextBoolean() ? LinkMode.REUSABLE : LinkMode.ONE_TIME;
        boolean exchangeAttempt = chance(0.06);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        // credentials first, so that a subscription route can be aimed at the owner's own subscriptions
        Who owner = exchangeAttempt ? exchangeAuthorization(headers, mode) : authorization(headers, mode);
        String[] picked = {null, null};
        String path = exchangeAttempt
                ? world.api.basePath() + pick(List.of("/session", "/session", "/session", "/session/", "/session/x", "/Session"))
                : path(picked, owner);
        String method = exchangeAttempt ? (chance(0.95) ? "POST" : pick(List.of("post", "PUT", "GET")))
                // writes follow their route's method; the exchange only through exchangeAttempt, which knows its links
                : picked[0] != null && !picked[0].startsWith("GET ") && !picked[0].equals("POST /session") && chance(0.8)
                ? picked[0].substring(0, picked[0].indexOf(' ')) : method();
        String query = exchangeAttempt && chance(0.7) ? null
                : "GET /usage/history".equals(picked[0]) && chance(0.75) ? usageQuery(owner) : query();
        if ("GET /invoices".equals(picked[0]) && chance(0.2)) {
            // the invoice list's own parameter, often: foreign, tampered and garbage cursors must keep failing cleanly
            query = (query == null || query.isEmpty() ? "" : query + "&") + "cursor=" + encode(cursor());
        }
        extraHeaders(headers);
        boolean write = !method.equals("GET") && !method.equals("HEAD") && !exchangeAttempt;
        String route = ApiFuzzStats.route(method, path);
        byte[] body = write && chance(0.85) ? writeBody(headers, route, owner, mode, picked[1]) : body();
        if (write) {
            idempotencyKey(headers);
        }
        String kind = owner != null ? "valid token of " + owner : headers.isEmpty() ? "anonymous" : "bad credentials";
        return new Generated(new PortalRequest(method, path, query, headers, body), mode, owner, kind,
                "POST /session".equals(route), "GET /invoices/{id}/download".equals(route),
                "PATCH /customer".equals(route), route == null ? null : SUBSCRIPTION_WRITES.get(route),
                route == null ? null : PAYMENT_WRITES.get(route),
                "POST /wallets/{id}/top_up".equals(route));
    }

    // ------------------------------------------------------------ usage and wallets

    /** A history query, mostly of one of the owner's subscriptions, the periods valid or not. */
    private String usageQuery(Who owner) {
        List<String> own = owner == null ? List.of() : List.copyOf(world.seededSubscriptions.get(owner).keySet());
        String id = !own.isEmpty() && chance(0.85) ? pick(own) : pick(subscriptionIds);
        String periods = pick(List.of("", "&periods=1", "&periods=6", "&periods=24", "&periods=0", "&periods=25",
                "&periods=-1", "&periods=1.5", "&periods=abc", "&periods=", "&periods=99999999999"));
        return "subscription_id=" + id + periods;
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

    /** What an exchange is tried with: a one-time link (fresh or used), a session's token, a reusable link, junk. */
    private Who exchangeAuthorization(Map<String, List<String>> headers, LinkMode mode) {
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

    private String method() {
        double roll = random.nextDouble();
        return roll < 0.65 ? "GET" : roll < 0.77 ? "HEAD" : pick(ODD_METHODS);
    }

    private String path(String[] picked, Who owner) {
        double roll = random.nextDouble();
        if (roll < 0.74) { // 0.62 for the 18 routes before payments: about the same share per route
            String route = !writeRoutes.isEmpty() && chance(0.35) ? pick(writeRoutes) : pick(apiRoutes);
            if (chance(0.14)) {
                // the subscription writes succeed least often (ids, previews, states; a change least of all): a
                // little more of them, so that they keep their successes now that payments share the routes
                route = pick(List.of("POST /subscriptions/{id}/preview", "POST /subscriptions/{id}/change",
                        "POST /subscriptions/{id}/change", "POST /subscriptions/{id}/cancel",
                        "POST /subscriptions/{id}/resume"));
            }
            picked[0] = route;
            String id = id();
            if (route.contains("/subscriptions/")) {
                List<String> own = owner == null ? List.of() : List.copyOf(world.seededSubscriptions.get(owner).keySet());
                id = !own.isEmpty() && chance(0.85) ? pick(own) : chance(0.7) ? pick(subscriptionIds) : id;
                picked[1] = id;
            } else if (route.contains("/payment_methods/{id}")) {
                List<String> own = owner == null ? List.of() : world.seededPaymentMethods(owner);
                id = !own.isEmpty() && chance(0.85) ? pick(own)
                        : chance(0.7) ? pick(List.copyOf(world.allPaymentMethodIds())) : id;
            } else if (route.equals("POST /invoices/{id}/pay") && owner != null && chance(0.7)) {
                id = pick(world.invoices.get(owner).stream().filter(i -> i.status().visibleInPortal()
                                && (chance(0.2) || dev.billingportal.core.payments.PaymentService.payable(i)))
                        .map(dev.billingportal.core.invoices.Invoice::id).toList());
            } else if (route.contains("/wallets/")) {
               // aimed at the owner's wallets mostly, else anyone's or junk
                List<String> own = owner == null ? List.of() : List.copyOf(world.seededWallets.get(owner).keySet());
                id = !own.isEmpty() && chance(0.8) ? pick(own) : chance(0.5) ? pick(walletIds) : id;
                picked[1] = id;
            } else if (route.contains("/invoices/{id}") && owner != null && chance(0.4)) {
                // aimed at the owner's own invoices now and then: the routes are many, their successes few otherwise
                id = pick(world.invoices.get(owner).stream().filter(i -> i.status().visibleInPortal())
                        .map(dev.billingportal.core.invoices.Invoice::id).toList());
            }
            return world.api.basePath() + route.substring(route.indexOf(' ') + 1).replace("{id}", id);
        }
        if (roll < 0.82) {
            String route = pick(pageRoutes);
            return world.api.uiPath() + (route.contains(" ") ? route.substring(route.indexOf(' ') + 1) : "");
        }
        String base = world.api.basePath();
        return switch (random.nextInt(22)) {
            case 0 -> base + "/../api/customer";
            case 1 -> base + "/invoices/" + id() + "/../../customer";
            case 2 -> base + "//customer";
            case 3 -> base.replace("/api", "//api") + "/overview";
            case 4 -> base + "/customer/";
            case 5 -> base + "/customer//";
            case 6 -> base.toUpperCase(java.util.Locale.ROOT) + "/CUSTOMER";
            case 7 -> base + "/" + pick(WEIRD);
            case 8 -> base + "/invoices/" + id() + "/" + pick(WEIRD);
            case 9 -> base + "/" + "a/".repeat(random.nextInt(2000));
            case 10 -> base + "/invoices%2F" + id();
            case 11 -> base + "/invoices/" + id() + "%2Fdownload";
            case 12 -> base + "%00/customer";
            case 13 -> "";
            case 14 -> "*";
            case 15 -> "portal/api/customer";
            case 16 -> "http://evil.example" + base + "/customer";
            case 17 -> world.api.uiPath() + "/assets/" + pick(WEIRD) + "portal.js";
            case 18 -> world.api.uiPath() + "/../" + base.substring(1) + "/config";
            case 19 -> "/api/v1/customers/ext-alice/portal_url";
            case 20 -> world.api.uiPath() + "x/" + pick(WEIRD);
            default -> "/" + randomText(random.nextInt(40));
        };
    }

    private String id() {
        return chance(0.1) ? encode(pick(ids)) : pick(ids);
    }

    private String query() {
        double roll = random.nextDouble();
        if (roll < 0.3) {
            return chance(0.5) ? null : "";
        }
        if (roll < 0.4) {
            return switch (random.nextInt(14)) {
                case 0 -> "%";
                case 1 -> "a=%G1";
                case 2 -> "search=%C3";
                case 3 -> "&&&&";
                case 4 -> "limit==5";
                case 5 -> "search=" + "x".repeat(9_000);
                case 6 -> "search=日本&status=é";
                case 7 -> "search=%ED%A0%80";
                case 8 -> "=&=&";
                case 9 -> "limit=5;cursor=x";
                case 10 -> "search=%F0%9F%98%80%F0%9F%98%80";
                case 11 -> "token=" + pick(List.copyOf(material.valid.get(LinkMode.REUSABLE).values()));
                case 12 -> pick(WEIRD) + "=" + pick(WEIRD);
                default -> randomText(random.nextInt(100));
            };
        }
        StringBuilder query = new StringBuilder();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            String name = chance(0.93) ? pick(PARAMS) : pick(WEIRD);
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(name).append('=').append(value(name));
        }
        return query.toString();
    }

    /** A value for a parameter: valid, or near valid, or garbage; encoded, or now and then raw. */
    private String value(String name) {
        if (chance(0.12)) {
            return chance(0.5) ? pick(WEIRD) : encode(randomText(random.nextInt(chance(0.05) ? 10_000 : 30)));
        }
        String value = switch (name) {
            case "status" -> pick(List.of("finalized", "voided", "FINALIZED", "draft", "failed", "pending",
                    "finalized,voided", ",", "finalized,,voided", "finalized, voided", "Finalized", "paid"));
            case "payment_status" -> pick(List.of("pending", "succeeded", "failed", "PENDING", "pending,failed",
                    "refunded", ""));
            case "overdue" -> pick(List.of("true", "false", "", "TRUE", "1", "yes"));
            case "issued_from", "issued_to" -> pick(List.of("2026-01-01", "2026-06-30", "2026-12-31", "2026-02-30",
                    "2026-13-01", "2026-1-1", "2024-02-29", "2026-02-29", "+999999999-12-31", "-999999999-01-01",
                    "99999-01-01", "0000-00-00", "２０２６-０１-０１", "٢٠٢٦-٠١-٠١", "2026-01-01T00:00:00Z", "20260101",
                    "1970-01-01", ""));
            case "search" -> pick(List.of("INV-2026", "alice", "ALICE-U", "bob-t", "inv-t-b-1", "inv-u-a-1",
                    "inv-shared-1", "ÉTÉ", "%", "_", "\\", "'", "' OR '1'='1", "%%", "a%b", "😀", "   ", "x".repeat(255),
                    "x".repeat(256), "\u0000", "S"));
            case "limit" -> pick(List.of("0", "-1", "1", "2", "20", "100", "101", "2147483647", "2147483648",
                    "-2147483649", "99999999999999999999", "1e3", "0x10", " 5", "5 ", "+5", "٥", "", "NaN", "1.5"));
            case "cursor" -> cursor();
            case "locale" -> pick(List.of("fr", "pt-BR", "de-CH", "ja", "xx", "zh-Hant-TW", "en-US-x-private",
                    "i-klingon", "", "und", "fr_FR", "a".repeat(40), "ar", "en-", "-", "EN"));
            case "redirect" -> pick(List.of("true", "false", "", "0", "TRUE"));
            case "token" -> pick(List.copyOf(material.valid.get(LinkMode.REUSABLE).values()));
            default -> randomText(random.nextInt(10));
        };
        return chance(0.9) ? encode(value) : value;
    }

    private String cursor() {
        String cursor = pick(material.cursors);
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> cursor; // one of them is the right customer's, but never of this session
            case 3 -> cursor.substring(0, cursor.length() - 1) + (cursor.endsWith("A") ? "B" : "A");
            case 4 -> cursor + "==";
            case 5 -> cursor.substring(0, cursor.length() / 2);
            case 6 -> "A".repeat(random.nextInt(2) == 0 ? 40 : 600);
            default -> randomText(random.nextInt(64));
        };
    }

    /** Sets the Authorization header, or not; the customer when it holds exactly one valid token. */
    private Who authorization(Map<String, List<String>> headers, LinkMode mode) {
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

    /**
     * A body for a write: most of the time JSON with the right content type, valid profile changes among them (the
     * only legitimate writes), and every way a body can be wrong: broken, huge, deep, duplicate keys, wrong types,
     * unknown fields (mass assignment of ids or another customer), fields the configuration does not allow,
     * control characters and lone surrogates.
     */
    private byte[] writeBody(Map<String, List<String>> headers, String route, Who owner, LinkMode mode, String id) {
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

    /** An {@code Idempotency-Key} now and then: fresh, reused from a small pool (replays), or malformed. */
    private void idempotencyKey(Map<String, List<String>> headers) {
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

    private void extraHeaders(Map<String, List<String>> headers) {
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

    private byte[] body() {
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

    /** Text mixing ASCII, reserved characters, escapes, controls, accents, CJK, emoji and lone surrogates. */
    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        Supplier<String> part = () -> switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> String.valueOf((char) ('a' + random.nextInt(26)));
            case 4 -> String.valueOf(RESERVED.charAt(random.nextInt(RESERVED.length())));
            case 5 -> String.valueOf((char) random.nextInt(0x20));
            case 6 -> String.valueOf((char) (0xC0 + random.nextInt(0x100)));
            case 7 -> String.valueOf((char) (0x4E00 + random.nextInt(0x500)));
            case 8 -> "😀";
            default -> String.valueOf((char) (0xD800 + random.nextInt(0x800)));
        };
        while (text.length() < length) {
            text.append(part.get());
        }
        return text.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
