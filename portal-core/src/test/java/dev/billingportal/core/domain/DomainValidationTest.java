package dev.billingportal.core.domain;

import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.CurrencyOverview;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DomainValidationTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);

    private static Invoice.Builder invoice() {
        return Invoice.builder().id("inv-1").customerId("c1").number("INV-1").issuingDate(DAY).total(Money.of(1200, "EUR"));
    }

    private static void assertInvalid(Runnable action, String field) {
        PortalException e = catchThrowableOfType(PortalException.class, action::run);
        assertThat(e).as("expected a validation error on " + field).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsKey(field);
    }

    @Test
    void customerNeedsIdsAndATimezone() {
        assertInvalid(() -> Customer.builder().externalId("e").build(), "id");
        assertInvalid(() -> Customer.builder().id("c").build(), "external_id");
        assertInvalid(() -> Customer.builder().id("c").externalId(" e").build(), "external_id");
        assertInvalid(() -> Customer.builder().id("c").externalId("e\n").build(), "external_id");
        assertInvalid(() -> Customer.builder().id("c").externalId("x".repeat(256)).build(), "external_id");
        assertInvalid(() -> Customer.builder().id("c").externalId("e").timezone(null).build(), "timezone");
        assertInvalid(() -> Customer.builder().id("c").externalId("e").tenantId("").build(), "tenant_id");
        assertInvalid(() -> Customer.builder().id("c").externalId("e").email("not-an-email").build(), "email");
        assertInvalid(() -> Customer.builder().id("c").externalId("e").currency("XAU").build(), "currency");
    }

    @Test
    void customerKeepsUnicodeAndDefaults() {
        Customer c = Customer.builder().id("c").externalId("顧客-1").name("Zoë Ünal 李小龍 🚀")
                .billingAddress(new Address("1 rue de l'Été", null, "Paris", null, "75001", "FR")).build();
        assertThat(c.name()).isEqualTo("Zoë Ünal 李小龍 🚀");
        assertThat(c.tenantId()).isEqualTo("default");
        assertThat(c.timezone()).isEqualTo(ZoneId.of("Z"));
        assertThat(c.shippingAddress()).isEqualTo(Address.EMPTY);
        assertThat(c.ref().externalId()).isEqualTo("顧客-1");
    }

    @Test
    void addressCountryMustBeIsoAlpha2() {
        assertInvalid(() -> new Address(null, null, null, null, null, "fr"), "address.country");
        assertInvalid(() -> new Address(null, null, null, null, null, "XX"), "address.country");
        assertThat(new Address(null, null, null, null, null, "DE").country()).isEqualTo("DE");
    }

    @Test
    void invoiceBuilderDefaults() {
        Invoice unpaid = invoice().taxes(Money.of(200, "EUR")).build();
        assertThat(unpaid.subtotal()).isEqualTo(Money.of(1000, "EUR"));
        assertThat(unpaid.amountDue()).isEqualTo(Money.of(1200, "EUR"));
        assertThat(unpaid.paymentDueDate()).isEqualTo(DAY);
        assertThat(unpaid.status()).isEqualTo(InvoiceStatus.FINALIZED);
        Invoice paid = invoice().paymentStatus(PaymentStatus.SUCCEEDED).build();
        assertThat(paid.amountDue().isZero()).isTrue();
    }

    @Test
    void invoiceRefusesBadAmountsDatesAndIds() {
        assertInvalid(() -> invoice().total(Money.of(-1, "EUR")).amountDue(Money.of(0, "EUR")).taxes(Money.of(0, "EUR")).subtotal(Money.of(0, "EUR")).build(), "amount");
        assertInvalid(() -> invoice().taxes(Money.of(1, "USD")).build(), "currency");
        assertInvalid(() -> invoice().amountDue(Money.of(1201, "EUR")).build(), "amount_due");
        assertInvalid(() -> invoice().paymentDueDate(DAY.minusDays(1)).build(), "payment_due_date");
        assertInvalid(() -> invoice().id("inv 1").build(), "id");
        assertInvalid(() -> invoice().id("facture-é").build(), "id");
        assertInvalid(() -> invoice().number("").build(), "number");
        assertThatThrownBy(() -> invoice().total(null).build()).isInstanceOf(PortalException.class);
    }

    @Test
    void overdueIsFinalizedUnpaidAndDueBeforeToday() {
        Invoice due = invoice().paymentDueDate(DAY).build();
        assertThat(due.isOverdue(DAY)).isFalse();
        assertThat(due.isOverdue(DAY.plusDays(1))).isTrue();
        assertThat(due.toBuilder().paymentStatus(PaymentStatus.FAILED).build().isOverdue(DAY.plusDays(1))).isTrue();
        assertThat(due.toBuilder().paymentStatus(PaymentStatus.SUCCEEDED).build().isOverdue(DAY.plusDays(1))).isFalse();
        assertThat(due.toBuilder().status(InvoiceStatus.VOIDED).build().isOverdue(DAY.plusDays(1))).isFalse();
        assertThat(due.toBuilder().status(InvoiceStatus.DRAFT).build().isOverdue(DAY.plusDays(1))).isFalse();
    }

    @Test
    void overviewSortsRowsAndRefusesDuplicatesOrMixedCurrencies() {
        CurrencyOverview usd = CurrencyOverview.zero(java.util.Currency.getInstance("USD"));
        CurrencyOverview eur = CurrencyOverview.zero(java.util.Currency.getInstance("EUR"));
        assertThat(new BillingOverview(DAY, List.of(usd, eur)).currencies()).containsExactly(eur, usd);
        assertInvalid(() -> new BillingOverview(DAY, List.of(eur, eur)), "currencies");
        assertInvalid(() -> new CurrencyOverview(java.util.Currency.getInstance("EUR"), Money.of(1, "USD"),
                Money.of(0, "EUR"), 0, Money.of(0, "EUR"), 0), "currency");
    }

    @Test
    void validationErrorsMapToHttp422() {
        PortalException e = catchThrowableOfType(PortalException.class, () -> invoice().number(null).build());
        assertThat(e.code().httpStatus()).isEqualTo(422);
        assertThat(e.reason()).isEqualTo("validation_errors");
        assertThat(e.details()).containsEntry("number", List.of("is required"));
    }
}
