package dev.billingportal.testkit;

import dev.billingportal.core.api.PortalApi;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.testkit.ApiFuzzWriteRoutes.PaymentWrite;
import dev.billingportal.testkit.PortalWorld.Who;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.billingportal.testkit.ApiFuzzWriteRoutes.PAYMENT_WRITES;
import static dev.billingportal.testkit.ApiFuzzWriteRoutes.SUBSCRIPTION_WRITES;

/**
 * The request generator of {@link PortalApiFuzzContract}: from the seeded {@link Random}, the next request for one of
 * the two portals, with random methods, paths (traversal, encoded slashes, NUL, double slashes, overlong, Unicode) and
 * query strings (every parameter with garbage, tampered and foreign cursors), and with what it is: whose valid token
 * alone it carries, and which write it attempts. It draws the method, the path and the query itself, the credentials
 * and other headers through {@link ApiFuzzHeaders} and the bodies through {@link ApiFuzzBodies}, all from one
 * {@link ApiFuzzDice} and in the order they always were drawn, so that a seed gives the same requests.
 */
final class ApiFuzzGenerator {
    /**
     * One generated request, for the portal of {@code mode}, with the customer whose valid token alone it carries, if
     * any, and which legitimate write it may make: an exchange, a download, a profile edit, a subscription write (its
     * audit type), a payment action or a top-up.
     */
    record Generated(PortalRequest request, LinkMode mode, Who owner, String kind, boolean exchange,
                     boolean download, boolean profileEdit, AuditEventType subscriptionWrite,
                     PaymentWrite paymentWrite, boolean topUp) {
    }

    private static final List<String> ODD_METHODS = List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", "get", "Get", "head", "PROPFIND", "", " GET", "GET ", "G\u00c9T", "GET\r\nX: y", "X".repeat(300));
    private static final List<String> PARAMS = List.of("status", "payment_status", "overdue", "issued_from",
            "issued_to", "search", "limit", "cursor", "locale", "redirect", "token", "cursor", "cursor");
    private static final List<String> WEIRD = List.of("", " ", "%00", "%0A", "%0D%0A", "%1F", "%7F", "%C3%A9",
            "%E2%80%AE", "%F0%9F%98%80", "😀", "日本", "é", "%", "%G1", "%C3", "%C0%AF", "%ED%A0%80", "%FF", "+",
            "%2B", "&", "=", "%26", "%3D", "'", "%27", "\"", "<script>", "..", "%2E%2E", "%2F", "\\", "%5C",
            "null", "undefined", "[]", "{}", "NaN", "-0", "\u0000", "\t");

    private final Random random;
    private final PortalWorld world;
    private final ApiFuzzMaterial material;
    private final ApiFuzzDice dice;
    private final ApiFuzzHeaders headerMaker;
    private final ApiFuzzBodies bodyMaker;
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
        this.dice = new ApiFuzzDice(random);
        this.headerMaker = new ApiFuzzHeaders(dice, material);
        this.bodyMaker = new ApiFuzzBodies(dice, world, material);
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
        return dice.pick(list);
    }

    private boolean chance(double p) {
        return dice.chance(p);
    }

    private String randomText(int length) {
        return dice.randomText(length);
    }

    Generated next() {
        LinkMode mode = random.nextBoolean() ? LinkMode.REUSABLE : LinkMode.ONE_TIME;
        boolean exchangeAttempt = chance(0.06);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        // credentials first, so that a subscription route can be aimed at the owner's own subscriptions
        Who owner = exchangeAttempt ? headerMaker.exchangeAuthorization(headers, mode)
                : headerMaker.authorization(headers, mode);
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
        headerMaker.extraHeaders(headers);
        boolean write = !method.equals("GET") && !method.equals("HEAD") && !exchangeAttempt;
        String route = ApiFuzzStats.route(method, path);
        byte[] body = write && chance(0.85) ? bodyMaker.writeBody(headers, route, owner, mode, picked[1]) : bodyMaker.body();
        if (write) {
            headerMaker.idempotencyKey(headers);
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
