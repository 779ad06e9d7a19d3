package dev.billingportal.core.domain;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.internal.Checks;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;

/**
 * A customer of the host's billing system.
 *
 * @param id              internal id, unique within the tenant; invoices point at it
 * @param externalId      the id the host's own systems use (Lago's {@code external_id}), unique within the tenant
 * @param tenantId        the tenant; {@link CustomerRef#DEFAULT_TENANT} for single-tenant hosts
 * @param name            display name, or null
 * @param legalName       legal name for documents, or null
 * @param email           billing e-mail, or null
 * @param taxId           tax identification number, or null
 * @param billingAddress  billing address (never null; {@link Address#EMPTY} when unknown)
 * @param shippingAddress shipping address (never null; {@link Address#EMPTY} when unknown)
 * @param currency        the customer's default currency, or null
 * @param documentLocale  the language of the customer's documents and portal, or null to use the tenant's default
 * @param timezone        the customer's time zone: "today" (and so "overdue") is computed in it
 * @param phone           phone number, or null
 */
public record Customer(String id, String externalId, String tenantId, String name, String legalName,
                       String email, String taxId, Address billingAddress, Address shippingAddress,
                       Currency currency, Locale documentLocale, ZoneId timezone, String phone) {

    /** Validates every field; null addresses become {@link Address#EMPTY}. */
    public Customer {
        Checks.id(id, "id");
        Checks.id(externalId, "external_id");
        Checks.id(tenantId, "tenant_id");
        Checks.optionalText(name, "name");
        Checks.optionalText(legalName, "legal_name");
        Checks.optionalEmail(email, "email");
        Checks.optionalText(taxId, "tax_identification_number");
        billingAddress = billingAddress == null ? Address.EMPTY : billingAddress;
        shippingAddress = shippingAddress == null ? Address.EMPTY : shippingAddress;
        if (currency != null) {
            Money.zero(currency); // refuses pseudo-currencies without a minor unit
        }
        Checks.required(timezone, "timezone");
        Checks.optionalPhone(phone, "phone");
    }

    /**
     * A customer without a phone number: the constructor of the twelve fields that existed before {@code phone}.
     *
     * @param id              internal id
     * @param externalId      external id, unique within the tenant
     * @param tenantId        tenant
     * @param name            display name
     * @param legalName       legal name
     * @param email           billing e-mail
     * @param taxId           tax identification number
     * @param billingAddress  billing address
     * @param shippingAddress shipping address
     * @param currency        default currency
     * @param documentLocale  document and portal language
     * @param timezone        time zone
     */
    public Customer(String id, String externalId, String tenantId, String name, String legalName, String email,
                    String taxId, Address billingAddress, Address shippingAddress, Currency currency,
                    Locale documentLocale, ZoneId timezone) {
        this(id, externalId, tenantId, name, legalName, email, taxId, billingAddress, shippingAddress, currency,
                documentLocale, timezone, null);
    }

    /** The host-side reference to this customer. */
    public CustomerRef ref() {
        return new CustomerRef(tenantId, externalId);
    }

    /** A builder; tenant defaults to {@link CustomerRef#DEFAULT_TENANT} and time zone to UTC. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this customer's values, for making a changed copy. */
    public Builder toBuilder() {
        return new Builder().id(id).externalId(externalId).tenantId(tenantId).name(name).legalName(legalName)
                .email(email).taxId(taxId).billingAddress(billingAddress).shippingAddress(shippingAddress)
                .currency(currency).documentLocale(documentLocale).timezone(timezone).phone(phone);
    }

    /** Builds a {@link Customer}; validation happens in {@link #build()}. */
    public static final class Builder {
        private String id;
        private String externalId;
        private String tenantId = CustomerRef.DEFAULT_TENANT;
        private String name;
        private String legalName;
        private String email;
        private String taxId;
        private Address billingAddress = Address.EMPTY;
        private Address shippingAddress = Address.EMPTY;
        private Currency currency;
        private Locale documentLocale;
        private ZoneId timezone = ZoneOffset.UTC;
        private String phone;

        private Builder() {
        }

        /** Internal id (required). */
        public Builder id(String id) { this.id = id; return this; }

        /** External id (required). */
        public Builder externalId(String externalId) { this.externalId = externalId; return this; }

        /** Tenant (default {@link CustomerRef#DEFAULT_TENANT}). */
        public Builder tenantId(String tenantId) { this.tenantId = tenantId; return this; }

        /** Display name. */
        public Builder name(String name) { this.name = name; return this; }

        /** Legal name. */
        public Builder legalName(String legalName) { this.legalName = legalName; return this; }

        /** Billing e-mail. */
        public Builder email(String email) { this.email = email; return this; }

        /** Tax identification number. */
        public Builder taxId(String taxId) { this.taxId = taxId; return this; }

        /** Billing address. */
        public Builder billingAddress(Address billingAddress) { this.billingAddress = billingAddress; return this; }

        /** Shipping address. */
        public Builder shippingAddress(Address shippingAddress) { this.shippingAddress = shippingAddress; return this; }

        /** Default currency. */
        public Builder currency(Currency currency) { this.currency = currency; return this; }

        /** Default currency by ISO code. */
        public Builder currency(String currencyCode) { this.currency = currencyCode == null ? null : Money.currency(currencyCode); return this; }

        /** Document and portal language. */
        public Builder documentLocale(Locale documentLocale) { this.documentLocale = documentLocale; return this; }

        /** Time zone (default UTC). */
        public Builder timezone(ZoneId timezone) { this.timezone = timezone; return this; }

        /** Phone number ({@code +}, digits, blanks, dots, dashes and parentheses; at most 40 characters). */
        public Builder phone(String phone) { this.phone = phone; return this; }

        /** Validates and builds. */
        public Customer build() {
            return new Customer(id, externalId, tenantId, name, legalName, email, taxId, billingAddress,
                    shippingAddress, currency, documentLocale, timezone, phone);
        }
    }
}
