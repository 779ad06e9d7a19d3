package dev.billingportal.examples;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * DEMO ONLY: a stand-in for the host application's own sign-in, so the demo can show
 * {@link dev.billingportal.core.api.PortalRedirectEndpoint} at {@code GET /billing/portal}. {@code GET
 * /billing/sign-in?customer=demo-customer} signs the browser in as one of the demo's customers (no password: it is a
 * demo) with a {@value #COOKIE} cookie that carries the customer's external id and an HMAC under a key made at each
 * start, so the cookie cannot be forged or edited into another customer. Only the demo's own customers of the
 * default tenant can sign in; the sign-in never names another tenant. {@code GET /billing/} is the host's "account"
 * page the portal's back link returns to. A real host uses its existing session instead of all this.
 */
final class DemoSignIn {
    /** The demo's sign-in cookie. */
    static final String COOKIE = "demo_user";
    /** Who may sign in: the demo's customers, all of the default tenant. */
    static final Set<String> CUSTOMERS = Set.of(DemoData.DEMO_CUSTOMER, DemoData.OTHER_CUSTOMER);

    private final byte[] key = new byte[32];

    DemoSignIn() {
        new SecureRandom().nextBytes(key);
    }

    /** {@code GET /billing/sign-in?customer=…} and {@code GET /billing/}; everything else under {@code /billing/} is 404. */
    PortalResponse handle(PortalRequest request) {
        if (!"GET".equals(request.method())) {
            return new PortalResponse.Builder(405).header("Allow", "GET").build();
        }
        if (request.rawPath().equals("/billing/sign-in")) {
            String customer = customerParameter(request.rawQuery());
            if (customer == null || !CUSTOMERS.contains(customer)) {
                return text(400, "Demo sign-in: customer must be one of " + CUSTOMERS + "\n");
            }
            return new PortalResponse.Builder(303)
                    .header("Set-Cookie", COOKIE + "=" + customer + "." + mac(customer)
                            + "; Path=/billing; HttpOnly; SameSite=Lax")
                    .header("Location", "/billing/portal")
                    .header("Cache-Control", "no-store")
                    .build();
        }
        if (request.rawPath().equals("/billing/")) {
            return text(200, "Demo host app (demo sign-in, not a real one): signed in as "
                    + customer(request).map(CustomerRef::externalId).orElse("nobody")
                    + ".\nGET /billing/portal opens the billing portal; GET /billing/sign-in?customer="
                    + DemoData.DEMO_CUSTOMER + " signs in.\n");
        }
        return text(404, "Not found\n");
    }

    /** The signed-in customer of a request: a {@value #COOKIE} cookie this demo run signed, or empty. */
    Optional<CustomerRef> customer(PortalRequest request) {
        for (String header : request.headers("Cookie")) {
            for (String part : header.split(";")) {
                String cookie = part.strip();
                if (!cookie.startsWith(COOKIE + "=")) {
                    continue;
                }
                String value = cookie.substring(COOKIE.length() + 1);
                int dot = value.lastIndexOf('.');
                if (dot <= 0) {
                    continue;
                }
                String customer = value.substring(0, dot);
                byte[] presented = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
                if (MessageDigest.isEqual(presented, mac(customer).getBytes(StandardCharsets.US_ASCII))
                        && CUSTOMERS.contains(customer)) {
                    return Optional.of(CustomerRef.of(CustomerRef.DEFAULT_TENANT, customer));
                }
            }
        }
        return Optional.empty();
    }

    private String mac(String customer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(customer.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String customerParameter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("customer=")) {
                return pair.substring("customer=".length()); // the demo's ids need no decoding
            }
        }
        return null;
    }

    private static PortalResponse text(int status, String text) {
        return new PortalResponse.Builder(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .body(ResponseBody.of(text.getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
