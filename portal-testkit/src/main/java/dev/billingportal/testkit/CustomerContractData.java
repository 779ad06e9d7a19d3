package dev.billingportal.testkit;

import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.profile.ProfileField;

import java.time.ZoneId;
import java.util.Locale;

/**
 * The seed data of {@link CustomerRepositoryContract}: the customer with every optional field set that most of its
 * tests save, and the new value each {@link ProfileField} gets in its update tests, different from that customer's
 * so that a field an update did not write shows.
 */
final class CustomerContractData {

    private CustomerContractData() {
    }

    /**
     * A customer with every optional field set, billing and shipping addresses different.
     */
    static Customer fullCustomer(String tenantId, String id, String externalId) {
        return Customer.builder().tenantId(tenantId).id(id).externalId(externalId).name("Acme Ltd")
                .legalName("Acme Limited").email("billing@acme.example").taxId("FR12345678901")
                .billingAddress(new Address("1 Billing Road", "Floor 2", "Paris", "Île-de-France", "75001", "FR"))
                .shippingAddress(new Address("9 Shipping Lane", null, "Berlin", "Berlin", "10115", "DE"))
                .currency("JPY").documentLocale(Locale.forLanguageTag("pt-BR")).timezone(ZoneId.of("Asia/Kolkata"))
                .phone("+33 1 23 45 67 89").build();
    }

    /**
     * The new value each field gets in the update tests: different from {@link #fullCustomer}'s.
     */
    static Object newValue(ProfileField field) {
        return switch (field) {
            case NAME -> "Acme Renamed";
            case LEGAL_NAME -> "Acme Renamed Limited";
            case EMAIL -> "new-billing@acme.example";
            case PHONE -> "+49 30 1234567";
            case TAX_ID -> "DE123456789";
            case BILLING_ADDRESS -> new Address("2 New Road", null, "Lyon", null, "69001", "FR");
            case SHIPPING_ADDRESS -> new Address("5 Other Lane", "Unit 7", "Madrid", "Madrid", "28001", "ES");
            case DOCUMENT_LOCALE -> Locale.forLanguageTag("de-CH");
        };
    }
}
