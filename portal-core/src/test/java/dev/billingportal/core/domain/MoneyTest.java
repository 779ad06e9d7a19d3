package dev.billingportal.core.domain;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    @Test
    void usesEachCurrencysOwnFractionDigits() {
        assertThat(Money.of(1234, "EUR").toBigDecimal()).isEqualByComparingTo("12.34");
        assertThat(Money.of(1235, "JPY").toBigDecimal()).isEqualByComparingTo("1235");
        assertThat(Money.of(1234, "KWD").toBigDecimal()).isEqualByComparingTo("1.234");
        assertThat(Money.of(1234, "EUR").fractionDigits()).isEqualTo(2);
        assertThat(Money.of(1, "JPY").fractionDigits()).isZero();
        assertThat(Money.of(1, "KWD").fractionDigits()).isEqualTo(3);
    }

    @Test
    void ofMajorIsExactOrRefused() {
        assertThat(Money.ofMajor(new BigDecimal("12.34"), Currency.getInstance("EUR"))).isEqualTo(Money.of(1234, "EUR"));
        assertThat(Money.ofMajor(new BigDecimal("1.234"), Currency.getInstance("KWD"))).isEqualTo(Money.of(1234, "KWD"));
        assertThatThrownBy(() -> Money.ofMajor(new BigDecimal("12.345"), Currency.getInstance("EUR")))
                .isInstanceOf(PortalException.class).hasMessageContaining("not an exact amount");
        assertThatThrownBy(() -> Money.ofMajor(new BigDecimal("0.5"), Currency.getInstance("JPY")))
                .isInstanceOf(PortalException.class);
    }

    @Test
    void addsOnlyTheSameCurrencyAndRefusesOverflow() {
        assertThat(Money.of(150, "EUR").plus(Money.of(250, "EUR"))).isEqualTo(Money.of(400, "EUR"));
        assertThatThrownBy(() -> Money.of(1, "EUR").plus(Money.of(1, "USD")))
                .isInstanceOf(PortalException.class).hasMessageContaining("EUR").hasMessageContaining("USD");
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "EUR").plus(Money.of(1, "EUR")))
                .isInstanceOf(PortalException.class).hasMessageContaining("overflow");
    }

    @Test
    void refusesMissingUnknownAndUnitlessCurrencies() {
        assertThatThrownBy(() -> new Money(1, null)).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> Money.of(1, "ZZZ")).isInstanceOf(PortalException.class).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> Money.of(1, "XAU")).isInstanceOf(PortalException.class).hasMessageContaining("no minor unit");
    }

    @Test
    void comparesAndPrints() {
        assertThat(Money.of(5, "EUR")).isLessThan(Money.of(6, "EUR"));
        assertThat(Money.of(-5, "EUR").isNegative()).isTrue();
        assertThat(Money.of(1234, "EUR")).hasToString("12.34 EUR");
        assertThat(Money.of(1235, "JPY")).hasToString("1235 JPY");
    }
}
