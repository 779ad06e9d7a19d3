package dev.billingportal.core.invoices;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.Page;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.ResponseBody;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.Params;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.StreamedJson;
import dev.billingportal.core.session.PortalContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The invoice routes: overview, history, one invoice, its document. */
public final class InvoiceRoutes implements RouteContributor {
    private static final Set<String> SINGLE_VALUED = Set.of("overdue", "issued_from", "issued_to", "search", "limit",
            "cursor", "locale");

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/overview", "invoices", call -> Http.json(200, Http.wrap("overview",
                        ApiJson.overview(call.portal().overview(call.context()), call.locale())))),
                Route.get("/invoices", "invoices", InvoiceRoutes::invoices),
                Route.get("/invoices/{id}", "invoices", call -> {
                    Locale locale = call.locale();
                    Invoice invoice = call.portal().invoice(call.context(), call.id());
                    return Http.json(200, Http.wrap("invoice", invoiceJson(call, invoice, locale)));
                }),
                Route.get("/invoices/{id}/download", "invoices", InvoiceRoutes::download));
    }

    private static PortalResponse invoices(ApiCall call) {
        Map<String, List<String>> params = call.params();
        PortalContext ctx = call.context();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Locale locale = Params.requestedLocale(params, problems).orElse(ctx.locale());
        InvoiceQuery.Builder query = InvoiceQuery.builder();
        for (String name : SINGLE_VALUED) {
            if (params.getOrDefault(name, List.of()).size() > 1) {
                problems.put(name, List.of("must be given once"));
            }
        }
        query.statuses(Params.enumValues(params, "status", InvoiceStatus.class, problems));
        query.paymentStatuses(Params.enumValues(params, "payment_status", PaymentStatus.class, problems));
        String overdue = Params.first(params, "overdue");
        if (overdue != null) {
            switch (overdue) {
                case "true" -> query.overdueOnly(true);
                case "false", "" -> query.overdueOnly(false);
                default -> problems.put("overdue", List.of("must be true or false"));
            }
        }
        query.issuedFrom(Params.date(params, "issued_from", problems));
        query.issuedTo(Params.date(params, "issued_to", problems));
        query.search(Params.first(params, "search"));
        String limit = Params.first(params, "limit");
        if (limit != null && !limit.isEmpty()) {
            try {
                query.limit(Integer.parseInt(limit));
            } catch (NumberFormatException e) {
                problems.put("limit", List.of("must be an integer between " + InvoiceQuery.MIN_LIMIT + " and "
                        + InvoiceQuery.MAX_LIMIT));
            }
        }
        query.after(Params.first(params, "cursor"));
        InvoiceQuery built;
        try {
            built = query.build();
        } catch (PortalException e) {
            e.details().forEach(problems::putIfAbsent);
            throw PortalException.invalid(problems);
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        Page<Invoice> page = call.portal().invoices(ctx, built);
        return Http.jsonOwnedBytes(200, StreamedJson.bytes(json -> writePage(json, call, page, locale)));
    }

    /**
     * One page of invoices as {@code GET /invoices} answers it: {@code {"invoices":[...],"next_cursor":...}}.
     *
     * @param call   the call (its session and base path)
     * @param page   the page
     * @param locale the language of the formatted values
     * @return the JSON object
     */
    public static ObjectNode pageJson(ApiCall call, Page<Invoice> page, Locale locale) {
        return (ObjectNode) StreamedJson.tree(json -> writePage(json, call, page, locale));
    }

    /** Writes {@link #pageJson}'s object, streamed: the list route answers its bytes without building a tree. */
    private static void writePage(JsonGenerator json, ApiCall call, Page<Invoice> page, Locale locale)
            throws IOException {
        LocalDate today = call.portal().today(call.context().customer());
        boolean documents = call.portal().documentsEnabled();
        json.writeStartObject();
        json.writeArrayFieldStart("invoices");
        for (Invoice invoice : page.items()) {
            ApiJson.writeInvoice(json, invoice, today, documents ? downloadPath(call, invoice) : null, locale);
        }
        json.writeEndArray();
        json.writeStringField("next_cursor", page.nextCursor());
        json.writeEndObject();
    }

    private static ObjectNode invoiceJson(ApiCall call, Invoice invoice, Locale locale) {
        String download = call.portal().documentsEnabled() ? downloadPath(call, invoice) : null;
        return ApiJson.invoice(invoice, call.portal().today(call.context().customer()), download, locale);
    }

    private static String downloadPath(ApiCall call, Invoice invoice) {
        return call.basePath() + "/invoices/" + URLEncoder.encode(invoice.id(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/download";
    }

    /** {@code redirect=false}: answer a redirect document as JSON (the page's fetch cannot follow it with its token). */
    private static boolean redirectAllowed(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("redirect", List.of());
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Params.requestedLocale(params, problems);
        if (values.size() > 1 || (values.size() == 1 && !values.get(0).equals("true") && !values.get(0).equals("false"))) {
            problems.put("redirect", List.of("must be true or false, once"));
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        return values.isEmpty() || values.get(0).equals("true");
    }

    private static PortalResponse download(ApiCall call) {
        boolean redirectAllowed = redirectAllowed(call.params()); // a bad parameter is a 422 before any lookup
        InvoiceDocument document = call.portal().downloadInvoice(call.context(), call.id());
        if (document instanceof InvoiceDocument.Redirect redirect && !redirectAllowed) {
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.putObject("download").put("url", redirect.location().toString());
            return Http.json(200, body);
        }
        if (document instanceof InvoiceDocument.Redirect redirect) {
            return new PortalResponse.Builder(302).header("Location", redirect.location().toString())
                    .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
        }
        InvoiceDocument.Stream stream = (InvoiceDocument.Stream) document;
        ResponseBody body = call.head() ? ResponseBody.EMPTY : new ResponseBody() {
            @Override
            public long length() {
                return stream.contentLength();
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                try (InputStream in = stream.content().open()) {
                    in.transferTo(out);
                }
            }
        };
        return new PortalResponse.Builder(200)
                .header("Content-Type", stream.contentType())
                .header("Content-Disposition", contentDisposition(stream.fileName()))
                .header("Cache-Control", "private, no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(body).build();
    }

    /**
     * {@code attachment} with an ASCII fallback name and the exact UTF-8 name (RFC 6266).
     *
     * @param fileName the document's file name
     * @return the header's value
     */
    public static String contentDisposition(String fileName) {
        StringBuilder ascii = new StringBuilder();
        for (char c : fileName.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
