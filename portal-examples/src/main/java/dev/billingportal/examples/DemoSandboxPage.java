package dev.billingportal.examples;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.memory.InMemoryPaymentMethodProvider;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.payments.PaymentMethodType;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's stand-in for a payment provider's hosted page (a Stripe Checkout, an Adyen or Mollie page), served by
 * the demo under {@value #PATH}: {@code GET .../setup/{id}} and {@code GET .../pay/{id}} show a page clearly marked as
 * a sandbox, with no card field at all, whose two buttons post to {@code .../complete} or {@code .../cancel}; the
 * answer is a {@code 303} to the address {@link InMemoryPaymentMethodProvider} returns: the portal's own page with
 * its return link. An unknown or finished id is a {@code 404}. The page sends strict headers (a CSP allowing nothing
 * but its own style and form posts to itself, no framing, {@code no-store}).
 *
 * <p>A real host never serves anything like this: its provider's page collects the card, and the host learns the
 * result from the provider.
 */
final class DemoSandboxPage {
    /** Where the demo serves the sandbox. */
    static final String PATH = "/billing-sandbox";

    private static final Pattern ROUTE = Pattern.compile("^" + PATH + "/(setup|pay)/([A-Za-z0-9_-]{1,100})(/complete|/cancel)?$");
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}"
            + ".banner{background:#b45309;color:#fff;font-weight:700;padding:12px 16px;text-align:center}"
            + "main{max-width:32rem;margin:2rem auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px}"
            + "form{display:inline}button{font:inherit;padding:8px 16px;margin:8px 8px 0 0;border-radius:6px;"
            + "border:1px solid #8c959f;background:#fff;cursor:pointer}button.primary{background:#1f6feb;color:#fff;"
            + "border-color:#1f6feb}button:focus-visible{outline:3px solid #0969da;outline-offset:2px}";
    private static final String CSP = "default-src 'none'; style-src '" + sha256(STYLE) + "'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final InMemoryPaymentMethodProvider provider;
    private final String origin;

    DemoSandboxPage(InMemoryPaymentMethodProvider provider, URI baseUrl) {
        this.provider = provider;
        this.origin = baseUrl.toString().replaceAll("/+$", "");
    }

    /**
     * The demo's payment methods provider: its hosted page is this sandbox, a charge marks the invoice paid in the
     * demo's invoices, and {@code demo-customer} has two cards (a default Visa, and a Mastercard that expires next
     * month), {@code other-customer} one.
     */
    static InMemoryPaymentMethodProvider provider(URI baseUrl, InvoiceRepository invoices, Clock clock) {
        InMemoryPaymentMethodProvider provider = new InMemoryPaymentMethodProvider(
                URI.create(baseUrl.toString().replaceAll("/+$", "") + PATH));
        provider.whenCharged(charge -> invoices.findById(charge.scope(), charge.invoiceId()).ifPresent(invoice ->
                invoices.save(invoice.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED)
                        .amountDue(dev.billingportal.core.domain.Money.of(0, invoice.currency().getCurrencyCode()))
                        .build())));
        LocalDate soon = LocalDate.now(clock).plusMonths(1);
        CustomerScope demo = CustomerScope.of(DemoData.demoCustomer());
        provider.save(demo, PaymentMethod.builder().id("pm_demo_visa").brand("visa").last4("1881")
                .expires(8, LocalDate.now(clock).getYear() + 3).isDefault(true).build());
        provider.save(demo, PaymentMethod.builder().id("pm_demo_mastercard").brand("mastercard").last4("5454")
                .expires(soon.getMonthValue(), soon.getYear()).build());
        provider.save(CustomerScope.of(DemoData.otherCustomer()), PaymentMethod.builder().id("pm_other_sepa")
                .type(PaymentMethodType.SEPA_DEBIT).last4("3000").build());
        return provider;
    }

    /** Everything under {@value #PATH}. */
    PortalResponse handle(PortalRequest request) {
        Matcher route = ROUTE.matcher(request.rawPath());
        if (!route.matches()) {
            return page(404, "Not found", "<p>There is no such sandbox page.</p>");
        }
        boolean setup = route.group(1).equals("setup");
        String id = route.group(2);
        String action = route.group(3);
        if (action == null) {
            if (!"GET".equals(request.method())) {
                return withHeaders(new PortalResponse.Builder(405).header("Allow", "GET")).build();
            }
            return setup ? setupPage(id) : payPage(id);
        }
        if (!"POST".equals(request.method())) {
            return withHeaders(new PortalResponse.Builder(405).header("Allow", "POST")).build();
        }
        Optional<String> from = request.header("Origin");
        if (from.isPresent() && !from.get().equals(origin)) {
            return page(403, "Refused", "<p>The sandbox takes its buttons' posts from its own page only.</p>");
        }
        boolean complete = action.equals("/complete");
        URI back;
        try {
            back = setup ? (complete ? provider.completeSetup(id) : provider.cancelSetup(id))
                    : (complete ? provider.completePayment(id) : provider.cancelPayment(id));
        } catch (PortalException e) {
            return page(404, "Not found", "<p>This sandbox session is unknown or finished already.</p>");
        }
        // the portal's own page with its one-time return link: never logged, never shown
        return withHeaders(new PortalResponse.Builder(303).header("Location", back.toString())).build();
    }

    private PortalResponse setupPage(String id) {
        if (!provider.setupOpen(id)) {
            return page(404, "Not found", "<p>This sandbox session is unknown or finished already.</p>");
        }
        return page(200, "Add a payment method", "<p>This stands in for your payment provider's page, where a real "
                + "card would be entered. Completing adds the test card <strong>Visa ending in 4242</strong>.</p>"
                + buttons("setup", id, "Complete: add the test card"));
    }

    private PortalResponse payPage(String id) {
        Optional<Invoice> invoice = provider.paymentOpen(id);
        if (invoice.isEmpty()) {
            return page(404, "Not found", "<p>This sandbox session is unknown or finished already.</p>");
        }
        Invoice i = invoice.get();
        String amount = BigDecimal.valueOf(i.amountDue().amountMinor(), i.currency().getDefaultFractionDigits())
                .toPlainString() + " " + i.currency().getCurrencyCode();
        return page(200, "Pay an invoice", "<p>This stands in for your payment provider's page. Completing pays "
                + "invoice <strong id=\"invoice-number\">" + escape(i.number()) + "</strong>: <strong id=\"amount\">"
                + escape(amount) + "</strong>, with no real money.</p>" + buttons("pay", id, "Complete: pay " + amount));
    }

    private static String buttons(String kind, String id, String completeLabel) {
        String base = PATH + "/" + kind + "/" + id;
        return "<form method=\"post\" action=\"" + base + "/complete\"><button class=\"primary\" id=\"sandbox-complete\">"
                + escape(completeLabel) + "</button></form><form method=\"post\" action=\"" + base
                + "/cancel\"><button id=\"sandbox-cancel\">Cancel</button></form>";
    }

    private static PortalResponse page(int status, String title, String content) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Sandbox: "
                + escape(title) + "</title><style>" + STYLE + "</style></head><body>"
                + "<div class=\"banner\" id=\"sandbox-banner\" role=\"note\">Sandbox — no real card, no real money</div>"
                + "<main><h1>" + escape(title) + "</h1>" + content + "</main></body></html>";
        return withHeaders(new PortalResponse.Builder(status).header("Content-Type", "text/html; charset=utf-8"))
                .body(ResponseBody.of(html.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static PortalResponse.Builder withHeaders(PortalResponse.Builder builder) {
        return builder.header("Content-Security-Policy", CSP)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                // same-origin, not no-referrer: with no-referrer a browser posts the buttons' forms as Origin: null
                .header("Referrer-Policy", "same-origin");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
