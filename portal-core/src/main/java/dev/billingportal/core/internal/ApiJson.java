package dev.billingportal.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.i18n.MoneyFormat;

import java.io.IOException;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of the HTTP API, snake_case and close to Lago's field names, written explicitly so
 * that a field rename in Java can never change the wire format. Each amount, date and count also comes
 * {@code formatted} for the reader's locale by {@link MoneyFormat}, so the page and any other client show the
 * same text without formatting rules of their own.
 */
public final class ApiJson {
    /** The mapper; thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    /** A Lago-shaped error: {@code status}, {@code error}, {@code code}, and {@code error_details} when present. */
    public static ObjectNode error(int status, String error, String code, Map<String, List<String>> details) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", status);
        node.put("error", error);
        node.put("code", code);
        if (details != null && !details.isEmpty()) {
            ObjectNode detailNode = node.putObject("error_details");
            details.forEach((field, reasons) -> {
                ArrayNode array = detailNode.putArray(field);
                reasons.forEach(array::add);
            });
        }
        return node;
    }

    /** The error body of an exception. */
    public static ObjectNode error(PortalException e) {
        return error(e.code().httpStatus(), e.code().httpPhrase(), e.reason(), e.details());
    }

    /** An invoice as the portal shows it, with its amounts and dates formatted for {@code locale}. */
    public static ObjectNode invoice(Invoice invoice, LocalDate today, String downloadPath, Locale locale) {
        return (ObjectNode) StreamedJson.tree(json -> writeInvoice(json, invoice, today, downloadPath, locale));
    }

    /**
     * Writes {@link #invoice}'s object: streamed, for a page of invoices, whose tree of maps cost as much as the rest
     * of the answer.
     */
    public static void writeInvoice(JsonGenerator json, Invoice invoice, LocalDate today, String downloadPath,
                                    Locale locale) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", invoice.id());
        json.writeStringField("number", invoice.number());
        json.writeStringField("invoice_type", lower(invoice.type()));
        json.writeStringField("status", lower(invoice.status()));
        json.writeStringField("payment_status", lower(invoice.paymentStatus()));
        json.writeBooleanField("payment_overdue", invoice.isOverdue(today));
        json.writeStringField("issuing_date", invoice.issuingDate().toString());
        json.writeStringField("payment_due_date", invoice.paymentDueDate().toString());
        json.writeStringField("currency", invoice.currency().getCurrencyCode());
        json.writeNumberField("sub_total_excluding_taxes_amount_cents", invoice.subtotal().amountMinor());
        json.writeNumberField("taxes_amount_cents", invoice.taxes().amountMinor());
        json.writeNumberField("total_amount_cents", invoice.total().amountMinor());
        json.writeNumberField("total_due_amount_cents", invoice.amountDue().amountMinor());
        json.writeStringField("download_url", downloadPath); // null is written as null
        json.writeObjectFieldStart("formatted");
        json.writeStringField("issuing_date", MoneyFormat.format(invoice.issuingDate(), locale));
        json.writeStringField("payment_due_date", MoneyFormat.format(invoice.paymentDueDate(), locale));
        json.writeStringField("sub_total_excluding_taxes_amount", MoneyFormat.format(invoice.subtotal(), locale));
        json.writeStringField("taxes_amount", MoneyFormat.format(invoice.taxes(), locale));
        json.writeStringField("total_amount", MoneyFormat.format(invoice.total(), locale));
        json.writeStringField("total_due_amount", MoneyFormat.format(invoice.amountDue(), locale));
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The billing overview, with its amounts, counts and date formatted for {@code locale}. */
    public static ObjectNode overview(BillingOverview overview, Locale locale) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("as_of", overview.asOf().toString());
        node.putObject("formatted").put("as_of", MoneyFormat.format(overview.asOf(), locale));
        NumberFormat count = NumberFormat.getIntegerInstance(locale);
        ArrayNode rows = node.putArray("currencies");
        for (CurrencyOverview row : overview.currencies()) {
            ObjectNode r = rows.addObject();
            r.put("currency", row.currency().getCurrencyCode());
            r.put("total_invoiced_amount_cents", row.totalInvoiced().amountMinor());
            r.put("overdue_amount_cents", row.overdue().amountMinor());
            r.put("overdue_invoices_count", row.overdueCount());
            r.put("outstanding_amount_cents", row.outstanding().amountMinor());
            r.put("outstanding_invoices_count", row.outstandingCount());
            ObjectNode formatted = r.putObject("formatted");
            formatted.put("total_invoiced_amount", MoneyFormat.format(row.totalInvoiced(), locale));
            formatted.put("overdue_amount", MoneyFormat.format(row.overdue(), locale));
            formatted.put("overdue_invoices_count", count.format(row.overdueCount()));
            formatted.put("outstanding_amount", MoneyFormat.format(row.outstanding(), locale));
            formatted.put("outstanding_invoices_count", count.format(row.outstandingCount()));
        }
        return node;
    }

    /**
     * The customer's profile as the portal shows it (no internal id), with each address as lines to print, its
     * country named in {@code locale}.
     */
    public static ObjectNode customer(Customer customer, Locale locale) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("external_id", customer.externalId());
        node.put("name", customer.name());
        node.put("legal_name", customer.legalName());
        node.put("email", customer.email());
        node.put("tax_identification_number", customer.taxId());
        node.put("tax_id", customer.taxId());
        node.put("phone", customer.phone());
        node.put("currency", customer.currency() == null ? null : customer.currency().getCurrencyCode());
        node.put("document_locale", customer.documentLocale() == null ? null : customer.documentLocale().toLanguageTag());
        node.put("timezone", customer.timezone().getId());
        node.set("billing_address", address(customer.billingAddress()));
        node.set("shipping_address", address(customer.shippingAddress()));
        ObjectNode formatted = node.putObject("formatted");
        addressLines(formatted.putArray("billing_address"), customer.billingAddress(), locale);
        addressLines(formatted.putArray("shipping_address"), customer.shippingAddress(), locale);
        return node;
    }

    /** Street lines, then postal code and city, then region, then the country's name in the reader's language. */
    private static void addressLines(ArrayNode lines, Address address, Locale locale) {
        addLine(lines, address.line1());
        addLine(lines, address.line2());
        addLine(lines, String.join(" ", java.util.stream.Stream.of(address.zipcode(), address.city())
                .filter(part -> part != null && !part.isBlank()).toList()));
        addLine(lines, address.state());
        if (address.country() != null) {
            addLine(lines, new Locale("", address.country()).getDisplayCountry(locale));
        }
    }

    private static void addLine(ArrayNode lines, String line) {
        if (line != null && !line.isBlank()) {
            lines.add(line);
        }
    }

    private static ObjectNode address(Address address) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("address_line1", address.line1());
        node.put("address_line2", address.line2());
        node.put("city", address.city());
        node.put("state", address.state());
        node.put("zipcode", address.zipcode());
        node.put("country", address.country());
        return node;
    }

    /** UTF-8 JSON bytes. */
    public static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
