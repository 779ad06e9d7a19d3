package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.MutableClock;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.subscriptions.Cancellation;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanChange;
import dev.billingportal.core.subscriptions.PlanChangePreview;
import dev.billingportal.core.subscriptions.PlanInterval;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.subscriptions.SubscriptionStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The documented proration of the in-memory provider, to the minor unit, in currencies of 0, 2 and 3 decimals. */
class InMemorySubscriptionProviderTest {
    /** 2026-11-21: 10 of the 30 days of the period 2026-11-01 .. 2026-12-01 are left. */
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final CustomerScope SCOPE = new CustomerScope("t1", "cus-1");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemorySubscriptionProvider provider = new InMemorySubscriptionProvider(clock);

    private Subscription seed(String currency, long from, long to, int quantity) {
        Plan starter = new Plan("starter", "Starter", PlanInterval.MONTH, Money.of(from, currency));
        Plan pro = new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(to, currency));
        provider.savePlan("t1", starter).savePlan("t1", pro);
        Subscription s = Subscription.builder().id("sub-1").name("Main").plan(starter).quantity(quantity)
                .startedAt(START).currentPeriodStart(START).currentPeriodEnd(END).build();
        provider.save(SCOPE, s);
        return s;
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} x{3}: credit {4}, charge {5}, due now {6}, next invoice {7}")
    @CsvSource({
            // JPY, 0 decimals: 980*10/30 = 326.67 -> 327; 2980*10/30 = 993.33 -> 993
            "JPY, 980, 2980, 1, -327, 993, 666, 2980",
            // EUR, 2 decimals: 1000*10/30 = 333.33 -> 333; 2999*10/30 = 999.67 -> 1000
            "EUR, 1000, 2999, 1, -333, 1000, 667, 2999",
            // KWD, 3 decimals, 3 seats: 3500*3*10/30 = 3500; 9251*3*10/30 = 9251
            "KWD, 3500, 9251, 3, -3500, 9251, 5751, 27753",
            // a downgrade now: the credit exceeds the charge, nothing is due, the rest comes off the next invoice
            "EUR, 2999, 1000, 1, -1000, 333, 0, 333",
    })
    @DisplayName("immediate change on the same interval: each line rounded half-even, per day left")
    void prorationPerDay(String currency, long from, long to, int quantity, long credit, long charge, long due,
                         long next) {
        seed(currency, from, to, quantity);
        PlanChangePreview p = provider.preview(SCOPE, PlanChange.preview("sub-1", "pro", ChangeTiming.IMMEDIATELY));
        assertThat(p.lines()).extracting(l -> l.amount().amountMinor()).as("rule: credit then charge, in minor units")
                .containsExactly(credit, charge);
        assertThat(p.lines().get(0).description()).isEqualTo("Unused time on Starter (10 of 30 days)");
        assertThat(p.amountDueNow()).as("rule: due now is the positive sum").isEqualTo(Money.of(due, currency));
        assertThat(p.nextInvoiceAmount()).as("rule: next invoice less any credit").isEqualTo(Money.of(next, currency));
        assertThat(p.nextInvoiceAt()).isEqualTo(END);
        assertThat(p.effectiveAt()).isEqualTo(NOW);
    }

    @Test
    @DisplayName("rounding is half-even on exact halves")
    void halfEven() {
        assertThat(InMemorySubscriptionProvider.prorate(1, 1, 1, 2)).isZero();
        assertThat(InMemorySubscriptionProvider.prorate(3, 1, 1, 2)).isEqualTo(2);
        assertThat(InMemorySubscriptionProvider.prorate(5, 1, 1, 2)).isEqualTo(2);
        assertThat(InMemorySubscriptionProvider.prorate(-5, 1, 1, 2)).isEqualTo(-2);
        assertThat(InMemorySubscriptionProvider.prorate(Long.MAX_VALUE, 1000, 1, 1000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    @DisplayName("an immediate change confirmed minutes after its preview (same day, same figures) goes through")
    void confirmedLaterTheSameDay() {
        seed("EUR", 1000, 2999, 1);
        PlanChange change = PlanChange.preview("sub-1", "pro", ChangeTiming.IMMEDIATELY);
        PlanChangePreview p = provider.preview(SCOPE, change);
        clock.advance(Duration.ofMinutes(3)); // the customer reads the confirmation
        Subscription after = provider.change(SCOPE, change.confirmed("chg-later", p.fingerprint()));
        assertThat(after.plan().code()).isEqualTo("pro");
        assertThat(provider.charges()).extracting(c -> c.amount()).containsExactly(p.amountDueNow());
    }

    @Test
    @DisplayName("a change is charged exactly as previewed, once per change id; another figure is preview_outdated")
    void chargedAsPreviewed() {
        seed("EUR", 1000, 2999, 1);
        PlanChange change = PlanChange.preview("sub-1", "pro", ChangeTiming.IMMEDIATELY);
        PlanChangePreview p = provider.preview(SCOPE, change);
        provider.savePlan("t1", new Plan("pro", "Pro", PlanInterval.MONTH, Money.of(3999, "EUR")));
        assertThatThrownBy(() -> provider.change(SCOPE, change.confirmed("chg-1", p.fingerprint())))
                .isInstanceOfSatisfying(PortalException.class, e -> assertThat(e.reason()).isEqualTo("preview_outdated"));
        assertThat(provider.subscription(SCOPE, "sub-1").orElseThrow().plan().code()).isEqualTo("starter");
        PlanChangePreview again = provider.preview(SCOPE, change);
        Subscription after = provider.change(SCOPE, change.confirmed("chg-2", again.fingerprint()));
        assertThat(after.plan().code()).isEqualTo("pro");
        assertThat(provider.change(SCOPE, change.confirmed("chg-2", again.fingerprint()))).isEqualTo(after);
        assertThat(provider.charges()).extracting(c -> c.amount()).containsExactly(again.amountDueNow());
    }

    @Test
    @DisplayName("yearly from monthly: credit for the days left, the full year now, a new period from today")
    void intervalChange() {
        seed("EUR", 1000, 2999, 1);
        provider.savePlan("t1", new Plan("pro_year", "Pro yearly", PlanInterval.YEAR, Money.of(29900, "EUR")));
        PlanChangePreview p = provider.preview(SCOPE, PlanChange.preview("sub-1", "pro_year", ChangeTiming.IMMEDIATELY));
        assertThat(p.lines()).extracting(l -> l.amount().amountMinor()).containsExactly(-333L, 29900L);
        assertThat(p.amountDueNow().amountMinor()).isEqualTo(29567);
        assertThat(p.nextInvoiceAt()).isEqualTo(Instant.parse("2027-11-21T00:00:00Z"));
        Subscription after = provider.change(SCOPE, PlanChange.preview("sub-1", "pro_year", ChangeTiming.IMMEDIATELY)
                .confirmed("c", p.fingerprint()));
        assertThat(after.currentPeriodStart()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
    }

    @Test
    @DisplayName("at period end: nothing now, scheduled, taken at renewal")
    void periodEnd() {
        seed("EUR", 2999, 1000, 1);
        PlanChange change = PlanChange.preview("sub-1", "pro", ChangeTiming.PERIOD_END);
        PlanChangePreview p = provider.preview(SCOPE, change);
        assertThat(p.lines()).isEmpty();
        assertThat(p.amountDueNow().amountMinor()).isZero();
        assertThat(p.effectiveAt()).isEqualTo(END);
        Subscription after = provider.change(SCOPE, change.confirmed("c", p.fingerprint()));
        assertThat(after.plan().code()).isEqualTo("starter");
        assertThat(after.pendingChange().plan().code()).isEqualTo("pro");
        clock.set(END.plusSeconds(60));
        Subscription renewed = provider.subscription(SCOPE, "sub-1").orElseThrow();
        assertThat(renewed.plan().code()).isEqualTo("pro");
        assertThat(renewed.pendingChange()).isNull();
        assertThat(renewed.currentPeriodEnd()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    @DisplayName("in a trial a change is free; the first invoice at the trial's end is the new price")
    void trial() {
        seed("JPY", 980, 2980, 1);
        provider.save(SCOPE, provider.subscription(SCOPE, "sub-1").orElseThrow().toBuilder()
                .status(SubscriptionStatus.TRIALING).trialEnd(NOW.plus(Duration.ofDays(3))).build());
        PlanChangePreview p = provider.preview(SCOPE, PlanChange.preview("sub-1", "pro", ChangeTiming.IMMEDIATELY));
        assertThat(p.lines()).isEmpty();
        assertThat(p.amountDueNow().amountMinor()).isZero();
        assertThat(p.nextInvoiceAt()).isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(p.nextInvoiceAmount().amountMinor()).isEqualTo(2980);
        clock.advance(Duration.ofDays(4));
        assertThat(provider.subscription(SCOPE, "sub-1").orElseThrow().status()).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    @DisplayName("scheduled cancellation, resume, and the end of the period")
    void cancelAndResume() {
        seed("EUR", 1000, 2999, 1);
        Subscription canceled = provider.cancel(SCOPE, new Cancellation("sub-1", CancelMode.AT_PERIOD_END, null, null));
        assertThat(canceled.cancelAtPeriodEnd()).isTrue();
        assertThat(canceled.endingAt()).isEqualTo(END);
        assertThatThrownBy(() -> provider.cancel(SCOPE, new Cancellation("sub-1", CancelMode.AT_PERIOD_END, null, null)))
                .isInstanceOfSatisfying(PortalException.class,
                        e -> assertThat(e.reason()).isEqualTo("subscription_not_cancelable"));
        assertThat(provider.resume(SCOPE, "sub-1").cancelAtPeriodEnd()).isFalse();
        provider.cancel(SCOPE, new Cancellation("sub-1", CancelMode.AT_PERIOD_END, null, null));
        clock.set(END);
        assertThat(provider.subscription(SCOPE, "sub-1").orElseThrow().status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThatThrownBy(() -> provider.resume(SCOPE, "sub-1")).isInstanceOfSatisfying(PortalException.class,
                e -> assertThat(e.reason()).isEqualTo("subscription_not_resumable"));
    }
}
