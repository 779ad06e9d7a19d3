package dev.billingportal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.Page;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.testkit.PortalWorld.Who;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.billingportal.testkit.IsolationRun.assertSameResponse;
import static dev.billingportal.testkit.IsolationRun.assertServiceRefuses;
import static dev.billingportal.testkit.IsolationRun.json;
import static dev.billingportal.testkit.IsolationRun.tamper;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invoice routes of {@link PortalIsolationContract}, part of that contract: every list case of
 * {@code GET /invoices} (also run on {@code PortalService.invoices}) answers exactly the viewer's reference list,
 * a cursor is refused by every other session, and {@code GET /invoices/{id}} and its download answer another's
 * invoice, a draft or an id in another tenant exactly as an id no invoice has. It holds the list cases
 * ({@link #LIST_CASES}), which also name the rows of {@code GET /invoices}.
 */
final class InvoiceIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;

    InvoiceIsolationChecks(PortalWorld world, IsolationRun run) {
        this.world = world;
        this.run = run;
    }

    void listCase(Who viewer, ListCase listCase) throws Exception {
        PortalSession session = world.login(viewer, run.mode());
        InvoiceQuery query = listCase.query();
        List<Invoice> expected = world.expected(viewer, query);
        List<Invoice> page = expected.subList(0, Math.min(query.limit(), expected.size()));

        JsonNode body = run.ok(run.api("/invoices", listCase.rawQuery(), session.token()), viewer);
        List<String> ids = new ArrayList<>();
        for (JsonNode item : body.get("invoices")) {
            ids.add(item.get("id").asText());
            Invoice own = world.visible(viewer, item.get("id").asText()).orElseThrow(
                    () -> new AssertionError(viewer + " was shown invoice " + item.get("id") + " of someone else"));
            assertThat(item.get("number").asText()).isEqualTo(own.number());
            assertThat(item.get("total_amount_cents").asLong()).isEqualTo(own.total().amountMinor());
        }
        assertThat(ids).as("rule: GET /invoices lists exactly the viewer's own matching invoices, newest first (%s)", listCase)
                .containsExactlyElementsOf(page.stream().map(Invoice::id).toList());
        assertThat(body.get("next_cursor").isNull()).as("last page").isEqualTo(expected.size() <= query.limit());

        PortalContext ctx = run.portal().authenticate(session.token());
        Page<Invoice> servicePage = run.portal().invoices(ctx, query);
        assertThat(servicePage.items()).as("rule: PortalService.invoices lists exactly the viewer's own matching invoices"
                + " (%s)", listCase).containsExactlyElementsOf(page);
    }

    void cursorsStayWithTheirSession(Who viewer) throws Exception {
        PortalSession session = world.login(viewer, run.mode());
        List<Invoice> expected = world.expected(viewer, InvoiceQuery.firstPage());
        assertThat(expected).as("visible invoices of %s", viewer).hasSizeGreaterThan(3);

        List<String> seen = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = run.ok(run.api("/invoices", "limit=1" + (cursor == null ? "" : "&cursor=" + cursor), session.token()),
                    viewer);
            page.get("invoices").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            if (cursor != null) {
                cursors.add(cursor);
            }
        } while (cursor != null && seen.size() <= expected.size());
        assertThat(seen).as("every page of %s", viewer).containsExactlyElementsOf(expected.stream().map(Invoice::id).toList());
        assertThat(cursors).hasSize(expected.size() - 1);

        String tampered = tamper(cursors.get(0));
        List<PortalSession> strangers = new ArrayList<>();
        strangers.add(world.login(viewer, run.mode())); // the viewer's own other session
        viewer.others().forEach(other -> strangers.add(world.login(other, run.mode())));
        for (PortalSession stranger : strangers) {
            PortalResponse garbage = run.api("/invoices", "limit=1&cursor=" + tampered, stranger.token());
            assertThat(garbage.status()).as("rule: a tampered cursor is a 400").isEqualTo(400);
            assertThat(json(garbage).get("code").asText()).as("rule: a tampered cursor is invalid_cursor")
                    .isEqualTo("invalid_cursor");
            PortalContext strangerCtx = run.portal().authenticate(stranger.token());
            for (String foreign : cursors) {
                PortalResponse refused = run.api("/invoices", "limit=1&cursor=" + foreign, stranger.token());
                assertSameResponse(refused, garbage, "a cursor of " + viewer + " presented by another session");
                assertServiceRefuses(() -> run.portal().invoices(strangerCtx, InvoiceQuery.builder().limit(1).after(foreign).build()),
                        ErrorCode.INVALID_REQUEST, "invalid_cursor");
            }
        }
    }

    /** The invoice or download route for every id of the world and some near misses. */
    void invoiceRoute(Who viewer, String suffix, String query) throws Exception {
        String token = run.token(viewer);
        PortalResponse missing = run.api("/invoices/" + PortalWorld.MISSING_ID + suffix, query, token);
        assertThat(missing.status()).as("rule: a missing invoice is a 404").isEqualTo(404);
        assertThat(json(missing).get("code").asText()).isEqualTo("invoice_not_found");
        int own = 0;
        int foreign = 0;
        for (String id : probeIds(viewer)) {
            PortalResponse response = run.api("/invoices/" + id + suffix, query, token);
            String decoded = java.net.URLDecoder.decode(id.replace("+", "%2B"), StandardCharsets.UTF_8);
            var visible = world.visible(viewer, decoded);
            if (visible.isPresent()) {
                own++;
                assertOwnInvoiceResponse(viewer, visible.get(), suffix, query, response);
            } else {
                foreign++;
                assertSameResponse(response, missing, "invoice " + id + suffix + " as " + viewer);
            }
        }
        assertThat(own).as("own invoices probed").isGreaterThanOrEqualTo(6);
        assertThat(foreign).as("other customers' and missing invoices probed").isGreaterThanOrEqualTo(12);
    }

    private void assertOwnInvoiceResponse(Who viewer, Invoice invoice, String suffix, String query, PortalResponse response)
            throws Exception {
        run.assertNoForeignData(viewer, response);
        if (suffix.isEmpty()) {
            JsonNode item = run.ok(response, viewer).get("invoice");
            assertThat(item.get("id").asText()).isEqualTo(invoice.id());
            assertThat(item.get("number").asText()).isEqualTo(invoice.number());
            assertThat(item.get("total_amount_cents").asLong()).isEqualTo(invoice.total().amountMinor());
            return;
        }
        boolean redirect = "redirect".equals(invoice.documentRef());
        if (redirect && query == null) {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).contains(WorldDocuments.documentUrl(invoice).toString());
        } else if (redirect) {
            assertThat(run.ok(response, viewer).get("download").get("url").asText())
                    .isEqualTo(WorldDocuments.documentUrl(invoice).toString());
        } else {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().toByteArray()).isEqualTo(WorldDocuments.documentBytes(invoice));
        }
    }

    /**
     * Every id of the world (each as is and percent-encoded), ids that differ from one by case, a blank, a NUL or
     * a path trick, and ids no invoice could have.
     */
    private List<String> probeIds(Who viewer) {
        return probeIds(world);
    }

    /**
     * Every id of the world as it is and in variants that must not reach it (case, encodings, padding, a NUL, a
     * path step), and ids no invoice has: what the invoice routes, and paying, are probed with.
     */
    static List<String> probeIds(PortalWorld world) {
        List<String> ids = new ArrayList<>();
        for (String id : world.allIds()) {
            ids.add(id);
            ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8).replace("-", "%2D"));
            ids.add(id.toUpperCase(java.util.Locale.ROOT));
            ids.add(id + "%20");
            ids.add("%20" + id);
            ids.add(id + "%00");
            ids.add("..%2F" + id);
        }
        ids.addAll(List.of("inv-%C3%A9t%C3%A9", "x".repeat(255), "x".repeat(256), "%2A", "%25", "inv-t-a-%25",
                "inv-shared-_", "inv-shared-%2F", "inv-%F0%9F%98%80"));
        return ids;
    }

    // ================================================================ list cases

    /** One request for the invoice list, as query string and as the {@link InvoiceQuery} it means. */
    record ListCase(String name, String rawQuery, Consumer<InvoiceQuery.Builder> builder) {
        InvoiceQuery query() {
            InvoiceQuery.Builder b = InvoiceQuery.builder();
            builder.accept(b);
            return b.build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static ListCase listCase(String rawQuery, Consumer<InvoiceQuery.Builder> builder) {
        return new ListCase(rawQuery.isEmpty() ? "no filter" : rawQuery, rawQuery, builder);
    }

    /** Every filter, alone and together, and searches for the others' numbers and ids. */
    static final List<ListCase> LIST_CASES = List.of(
            listCase("", b -> { }),
            listCase("limit=100", b -> b.limit(100)),
            listCase("limit=2", b -> b.limit(2)),
            listCase("status=finalized", b -> b.statuses(InvoiceStatus.FINALIZED)),
            listCase("status=voided", b -> b.statuses(InvoiceStatus.VOIDED)),
            listCase("status=finalized,voided", b -> b.statuses(InvoiceStatus.FINALIZED, InvoiceStatus.VOIDED)),
            listCase("payment_status=pending", b -> b.paymentStatuses(PaymentStatus.PENDING)),
            listCase("payment_status=succeeded", b -> b.paymentStatuses(PaymentStatus.SUCCEEDED)),
            listCase("payment_status=failed", b -> b.paymentStatuses(PaymentStatus.FAILED)),
            listCase("payment_status=pending&payment_status=failed", b -> b.paymentStatuses(PaymentStatus.PENDING, PaymentStatus.FAILED)),
            listCase("overdue=true", b -> b.overdueOnly(true)),
            listCase("overdue=false", b -> b.overdueOnly(false)),
            listCase("issued_from=2026-01-01", b -> b.issuedFrom(LocalDate.of(2026, 1, 1))),
            listCase("issued_to=2026-06-30", b -> b.issuedTo(LocalDate.of(2026, 6, 30))),
            listCase("issued_from=2026-03-01&issued_to=2026-09-30",
                    b -> b.issuedFrom(LocalDate.of(2026, 3, 1)).issuedTo(LocalDate.of(2026, 9, 30))),
            listCase("issued_from=2026-09-01&issued_to=2026-09-01",
                    b -> b.issuedFrom(LocalDate.of(2026, 9, 1)).issuedTo(LocalDate.of(2026, 9, 1))),
            listCase("search=INV-2026", b -> b.search("INV-2026")),
            listCase("search=inv-2026-1-", b -> b.search("inv-2026-1-")),
            listCase("search=alice", b -> b.search("alice")),
            listCase("search=ALICE-U", b -> b.search("ALICE-U")),
            listCase("search=ALICE-T", b -> b.search("ALICE-T")),
            listCase("search=bob-t", b -> b.search("bob-t")),
            listCase("search=%C3%89T%C3%89", b -> b.search("ÉTÉ")),
            listCase("search=-S", b -> b.search("-S")),
            listCase("search=inv-t-a-1", b -> b.search("inv-t-a-1")),
            listCase("search=inv-t-b-1", b -> b.search("inv-t-b-1")),
            listCase("search=inv-u-a-2", b -> b.search("inv-u-a-2")),
            listCase("search=inv-shared-1", b -> b.search("inv-shared-1")),
            listCase("search=inv-shared-b", b -> b.search("inv-shared-b")),
            listCase("search=inv-shared-draft", b -> b.search("inv-shared-draft")),
            listCase("search=INV-2026-SD", b -> b.search("INV-2026-SD")),
            listCase("status=voided&search=S2", b -> b.statuses(InvoiceStatus.VOIDED).search("S2")),
            listCase("status=finalized&payment_status=pending,failed&overdue=true&issued_from=2026-01-01"
                            + "&issued_to=2026-12-31&search=2026&limit=50",
                    b -> b.statuses(InvoiceStatus.FINALIZED).paymentStatuses(PaymentStatus.PENDING, PaymentStatus.FAILED)
                            .overdueOnly(true).issuedFrom(LocalDate.of(2026, 1, 1)).issuedTo(LocalDate.of(2026, 12, 31))
                            .search("2026").limit(50)));
}
