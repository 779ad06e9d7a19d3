package dev.billingportal.core.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A route says what it reads: an empty body allowed only where a body is read at all. */
class RouteTest {
    private static final RouteHandler NONE = call -> {
        throw new AssertionError("not called");
    };

    @Test
    void theFactoriesSayWhetherAnEmptyBodyIsFine() {
        Route strict = Route.write("POST", "/wallets/{id}/top_up", "wallets", NONE);
        assertThat(strict.body()).isTrue();
        assertThat(strict.emptyBody()).isFalse();
        Route optional = Route.writeWithOptionalBody("POST", "/invoices/{id}/pay", "invoice_payments", NONE);
        assertThat(optional.body()).isTrue();
        assertThat(optional.emptyBody()).isTrue();
        assertThat(optional.authenticated()).isTrue();
        assertThat(new Route("DELETE", "/payment_methods/{id}", "payment_methods", true, false, NONE).emptyBody())
                .as("the six-argument constructor").isFalse();
    }

    @Test
    void anEmptyBodyWithoutABodyIsRefused() {
        assertThatThrownBy(() -> new Route("POST", "/session", null, false, false, true, NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("emptyBody needs body")
                .hasMessageContaining("/session");
    }
}
