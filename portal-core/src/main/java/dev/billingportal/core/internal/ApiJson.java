package dev.billingportal.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
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
        field(json, F_ID, invoice.id());
        field(json, F_NUMBER, invoice.number());
        field(json, F_INVOICE_TYPE, lower(invoice.type()));
        field(json, F_STATUS, lower(invoice.status()));
        field(json, F_PAYMENT_STATUS, lower(invoice.paymentStatus()));
        json.writeFieldName(F_PAYMENT_OVERDUE);
        json.writeBoolean(invoice.isOverdue(today));
        field(json, F_ISSUING_DATE, invoice.issuingDate().toString());
        field(json, F_PAYMENT_DUE_DATE, invoice.paymentDueDate().toString());
        field(json, F_CURRENCY, invoice.currency().getCurrencyCode());
        field(json, F_SUB_TOTAL_CENTS, invoice.subtotal().amountMinor());
        field(json, F_TAXES_CENTS, invoice.taxes().amountMinor());
        field(json, F_TOTAL_CENTS, invoice.total().amountMinor());
        field(json, F_TOTAL_DUE_CENTS, invoice.amountDue().amountMinor());
        field(json, F_DOWNLOAD_URL, downloadPath); // null is written as null
        json.writeFieldName(F_FORMATTED);
        json.writeStartObject();
        field(json, F_ISSUING_DATE, MoneyFormat.format(invoice.issuingDate(), locale));
        field(json, F_PAYMENT_DUE_DATE, MoneyFormat.format(invoice.paymentDueDate(), locale));
        field(json, F_SUB_TOTAL, MoneyFormat.format(invoice.subtotal(), locale));
        field(json, F_TAXES, MoneyFormat.format(invoice.taxes(), locale));
        field(json, F_TOTAL, MoneyFormat.format(invoice.total(), locale));
        field(json, F_TOTAL_DUE, MoneyFormat.format(invoice.amountDue(), locale));
        json.writeEndObject();
        json.writeEndObject();
    }

    // An invoice's field names, quoted and encoded once: a page writes each twenty times, and checking a name for
    // characters to escape cost the generator as much as writing the values.
    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_NUMBER = new SerializedString("number");
    private static final SerializedString F_INVOICE_TYPE = new SerializedString("invoice_type");
    private static final SerializedString F_STATUS = new SerializedString("status");
    private static final SerializedString F_PAYMENT_STATUS = new SerializedString("payment_status");
    private static final SerializedString F_PAYMENT_OVERDUE = new SerializedString("payment_overdue");
    private static final SerializedString F_ISSUING_DATE = new SerializedString("issuing_date");
    private static final SerializedString F_PAYMENT_DUE_DATE = new SerializedString("payment_due_date");
    private static final SerializedString F_CURRENCY = new SerializedString("currency");
    private static final SerializedString F_SUB_TOTAL_CENTS = new SerializedString("sub_total_excluding_taxes_amount_cents");
    private static final SerializedString F_TAXES_CENTS = new SerializedString("taxes_amount_cents");
    private static final SerializedString F_TOTAL_CENTS = new SerializedString("total_amount_cents");
    private static final SerializedString F_TOTAL_DUE_CENTS = new SerializedString("total_due_amount_cents");
    private static final SerializedString F_DOWNLOAD_URL = new SerializedString("download_url");
    private static final SerializedString F_FORMATTED = new SerializedString("formatted");
    private static final SerializedString F_SUB_TOTAL = new SerializedString("sub_total_excluding_taxes_amount");
    private static final SerializedString F_TAXES = new SerializedString("taxes_amount");
    private static final SerializedString F_TOTAL = new SerializedString("total_amount");
    private static final SerializedString F_TOTAL_DUE = new SerializedString("total_due_amount");

    private static void field(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value); // null is written as null
    }

    private static void field(JsonGenerator json, SerializedString name, long value) throws IOException {
        json.writeFieldName(name);
        json.writeNumber(value);
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
        return LOWER_NAMES.get(value.getDeclaringClass())[value.ordinal()];
    }

    /** Each enum's constants in lower case, made once per enum type (a page lowers three per invoice). */
    private static final ClassValue<String[]> LOWER_NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return names;
        }
    };
}
