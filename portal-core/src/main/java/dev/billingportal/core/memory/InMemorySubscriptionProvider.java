package dev.billingportal.core.memory;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.subscriptions.Cancellation;
import dev.billingportal.core.subscriptions.Plan;
import dev.billingportal.core.subscriptions.PlanChange;
import dev.billingportal.core.subscriptions.PlanChangePreview;
import dev.billingportal.core.subscriptions.PreviewLine;
import dev.billingportal.core.subscriptions.ScheduledChange;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.subscriptions.SubscriptionProvider;
import dev.billingportal.core.subscriptions.SubscriptionStatus;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SubscriptionProvider} in memory, for tests and the demo: a plan catalogue per tenant and subscriptions per
 * customer scope, with trials, changes now or at period end, scheduled cancellation and resume. Lives with the other
 * in-memory adapters ({@code core.memory}) because it is an adapter of the SPI, not part of the feature's API.
 *
 * <p><b>Proration</b> (exact, in integer minor units of the plan's currency, so JPY, EUR and KWD alike): periods are
 * counted in whole UTC days. With {@code D} the days of the current period and {@code R} the days left (from today,
 * UTC, to the period's end; today counts as left), a change that takes effect {@linkplain ChangeTiming#IMMEDIATELY
 * immediately} has two lines:
 * <ul>
 * <li>{@code Unused time on <old plan> (R of D days)}: {@code -round(old price × quantity × R / D)};</li>
 * <li>on a plan of the same interval, {@code Remaining time on <new plan> (R of D days)}:
 *     {@code +round(new price × quantity × R / D)}, and the period stays as it is; on a plan of another interval,
 *     {@code <new plan> from <today> to <end>}: the full new price × quantity, and a new period starts today.</li>
 * </ul>
 * {@code round} is half-even (banker's rounding) to a whole minor unit, applied to each line separately; the lines
 * are exact {@code long} sums. What is due now is their sum when positive, else zero; a negative sum is a credit
 * taken off the next invoice (never below zero: a credit beyond the next invoice is not modelled). During a trial a
 * change is free and immediate (no lines), and the first invoice at the trial's end is the new price. A change at
 * {@linkplain ChangeTiming#PERIOD_END period end} has no lines: it is scheduled, and the next invoice is the new
 * price.
 *
 * <p>Time moves by the clock: on every call, a subscription whose period is over renews (taking its scheduled change),
 * ends (when its cancellation was scheduled), or leaves its trial.
 *
 * <p>Thread-safe: every method is synchronized, so a change's fingerprint check and its write are one atomic step
 * (two racing confirmations change a subscription once).
 */
public final class InMemorySubscriptionProvider implements SubscriptionProvider {
    /**
     * One amount charged at once by an applied change.
     *
     * @param scope          whose
     * @param subscriptionId the subscription
     * @param changeId       the change's id
     * @param amount         what was charged, in minor units
     */
    public record Charge(CustomerScope scope, String subscriptionId, String changeId, Money amount) {
    }

    private record Key(String tenantId, String customerId, String subscriptionId) {
    }

    private final Clock clock;
    private final Map<String, Map<String, Plan>> plans = new HashMap<>();
    private final Map<Key, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, Subscription> appliedChanges = new HashMap<>();
    private final List<Charge> charges = new ArrayList<>();
    private final List<Cancellation> cancellations = new ArrayList<>();

    /**
     * An empty provider on this clock.
     *
     * @param clock the time (previews, renewals)
     */
    public InMemorySubscriptionProvider(Clock clock) {
        this.clock = Checks.required(clock, "clock");
    }

    /**
     * Adds (or replaces: a price change) a plan of a tenant's catalogue.
     *
     * @param tenantId the tenant
     * @param plan     the plan
     * @return this
     */
    public synchronized InMemorySubscriptionProvider savePlan(String tenantId, Plan plan) {
        plans.computeIfAbsent(Checks.id(tenantId, "tenant_id"), t -> new LinkedHashMap<>())
                .put(plan.code(), Checks.required(plan, "plan"));
        return this;
    }

    /**
     * Stores (or replaces) a subscription of a customer.
     *
     * @param scope        the customer
     * @param subscription the subscription
     * @return this
     */
    public synchronized InMemorySubscriptionProvider save(CustomerScope scope, Subscription subscription) {
        subscriptions.put(key(scope, subscription.id()), subscription);
        return this;
    }

    /**
     * Every amount charged at once by applied changes, in order.
     *
     * @return the charges
     */
    public synchronized List<Charge> charges() {
        return List.copyOf(charges);
    }

    /**
     * Every cancellation received, in order.
     *
     * @return the cancellations
     */
    public synchronized List<Cancellation> cancellations() {
        return List.copyOf(cancellations);
    }

    @Override
    public synchronized List<Subscription> subscriptions(CustomerScope scope) {
        List<Subscription> own = new ArrayList<>();
        for (Key key : List.copyOf(subscriptions.keySet())) {
            if (key.tenantId().equals(scope.tenantId()) && key.customerId().equals(scope.customerId())) {
                own.add(settled(key));
            }
        }
        return own;
    }

    @Override
    public synchronized Optional<Subscription> subscription(CustomerScope scope, String subscriptionId) {
        Key key = key(scope, subscriptionId);
        return subscriptions.containsKey(key) ? Optional.of(settled(key)) : Optional.empty();
    }

    @Override
    public synchronized List<Plan> plans(CustomerScope scope, Subscription subscription) {
        return List.copyOf(plans.getOrDefault(scope.tenantId(), Map.of()).values());
    }

    @Override
    public synchronized PlanChangePreview preview(CustomerScope scope, PlanChange change) {
        return compute(scope, change).preview();
    }

    @Override
    public synchronized Subscription change(CustomerScope scope, PlanChange change) {
        if (!change.isConfirmed()) {
            throw new IllegalArgumentException("change() needs a confirmed change");
        }
        Key key = key(scope, change.subscriptionId());
        Subscription done = appliedChanges.get(scope.tenantId() + "/" + scope.customerId() + "/" + change.changeId());
        if (done != null && subscriptions.containsKey(key)) {
            return settled(key); // applied before: answer as it is, act not again
        }
        Computed computed = compute(scope, change);
        if (!computed.preview().fingerprint().equals(change.expectedFingerprint())) {
            throw new PortalException(ErrorCode.CONFLICT, "preview_outdated",
                    "the figures of this change are no longer those previewed");
        }
        Subscription after = computed.after().toBuilder().version(computed.before().version() + 1).build();
        subscriptions.put(key, after);
        appliedChanges.put(scope.tenantId() + "/" + scope.customerId() + "/" + change.changeId(), after);
        if (!computed.preview().amountDueNow().isZero()) {
            charges.add(new Charge(scope, change.subscriptionId(), change.changeId(), computed.preview().amountDueNow()));
        }
        return after;
    }

    @Override
    public synchronized Subscription cancel(CustomerScope scope, Cancellation cancellation) {
        Key key = key(scope, cancellation.subscriptionId());
        Subscription s = require(key);
        if (!s.status().running() || s.cancelAtPeriodEnd()) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_cancelable",
                    "this subscription has ended or its cancellation is already scheduled");
        }
        Instant now = clock.instant();
        Subscription.Builder b = s.toBuilder().canceledAt(now).pendingChange(null).version(s.version() + 1);
        if (cancellation.mode() == CancelMode.IMMEDIATELY) {
            b.status(SubscriptionStatus.CANCELED).endingAt(now).cancelAtPeriodEnd(false);
        } else {
            b.cancelAtPeriodEnd(true).endingAt(s.currentPeriodEnd());
        }
        Subscription after = b.build();
        subscriptions.put(key, after);
        cancellations.add(cancellation);
        return after;
    }

    @Override
    public synchronized Subscription resume(CustomerScope scope, String subscriptionId) {
        Key key = key(scope, subscriptionId);
        Subscription s = require(key);
        if (!s.resumableAt(clock.instant())) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_resumable",
                    "no cancellation of this subscription is scheduled, or its period is over");
        }
        Subscription after = s.toBuilder().cancelAtPeriodEnd(false).canceledAt(null).endingAt(null)
                .version(s.version() + 1).build();
        subscriptions.put(key, after);
        return after;
    }

    // ---------------------------------------------------------------- proration

    private record Computed(Subscription before, Subscription after, PlanChangePreview preview) {
    }

    private Computed compute(CustomerScope scope, PlanChange change) {
        Subscription s = require(key(scope, change.subscriptionId()));
        Plan target = plans.getOrDefault(scope.tenantId(), Map.of()).get(change.planCode());
        if (target == null) {
            throw PortalException.invalid("plan_code", "unknown plan");
        }
        if (!target.currency().equals(s.plan().currency())) {
            throw PortalException.invalid("plan_code", "is in another currency");
        }
        if (!s.status().running() || s.cancelAtPeriodEnd() || target.code().equals(s.plan().code())) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_changeable",
                    "this subscription cannot move to this plan now");
        }
        Instant now = clock.instant();
        long quantity = s.quantity();
        Money zero = Money.zero(target.currency());
        Money renewal = times(target.amount(), quantity);
        if (change.timing() == ChangeTiming.PERIOD_END) {
            Subscription after = s.toBuilder().pendingChange(new ScheduledChange(target, s.currentPeriodEnd())).build();
            return new Computed(s, after, new PlanChangePreview(s.id(), target.code(), change.timing(),
                    s.currentPeriodEnd(), List.of(), zero, s.currentPeriodEnd(), renewal, s.version()));
        }
        if (s.status() == SubscriptionStatus.TRIALING && s.trialEnd() != null && now.isBefore(s.trialEnd())) {
            Subscription after = s.toBuilder().plan(target).pendingChange(null).build();
            return new Computed(s, after, new PlanChangePreview(s.id(), target.code(), change.timing(), now,
                    List.of(), zero, s.trialEnd(), renewal, s.version()));
        }
        LocalDate start = day(s.currentPeriodStart());
        LocalDate end = day(s.currentPeriodEnd());
        LocalDate today = day(now);
        long days = Math.max(1, ChronoUnit.DAYS.between(start, end));
        long left = Math.min(days, Math.max(0, ChronoUnit.DAYS.between(today, end)));
        List<PreviewLine> lines = new ArrayList<>();
        lines.add(new PreviewLine("Unused time on " + s.plan().name() + " (" + left + " of " + days + " days)",
                Money.of(-prorate(s.plan().amount().amountMinor(), quantity, left, days), target.currency())));
        Subscription.Builder after = s.toBuilder().plan(target).pendingChange(null);
        Instant nextInvoiceAt;
        if (target.interval() == s.plan().interval()) {
            lines.add(new PreviewLine("Remaining time on " + target.name() + " (" + left + " of " + days + " days)",
                    Money.of(prorate(target.amount().amountMinor(), quantity, left, days), target.currency())));
            nextInvoiceAt = s.currentPeriodEnd();
        } else {
            LocalDate newEnd = target.interval().next(today);
            lines.add(new PreviewLine(target.name() + " from " + today + " to " + newEnd, renewal));
            nextInvoiceAt = newEnd.atStartOfDay(ZoneOffset.UTC).toInstant();
            after.currentPeriodStart(today.atStartOfDay(ZoneOffset.UTC).toInstant()).currentPeriodEnd(nextInvoiceAt);
        }
        long net = 0;
        for (PreviewLine line : lines) {
            net = Math.addExact(net, line.amount().amountMinor());
        }
        Money due = Money.of(Math.max(0, net), target.currency());
        Money next = Money.of(Math.max(0, Math.addExact(renewal.amountMinor(), Math.min(0, net))), target.currency());
        return new Computed(s, after.build(), new PlanChangePreview(s.id(), target.code(), change.timing(), now,
                lines, due, nextInvoiceAt, next, s.version()));
    }

    /**
     * {@code round_half_even(amount × quantity × left / days)}, exact.
     *
     * @param amountMinor a price in minor units
     * @param quantity    units
     * @param left        days left
     * @param days        days of the period (positive)
     * @return the prorated amount in minor units
     */
    static long prorate(long amountMinor, long quantity, long left, long days) {
        BigInteger numerator = BigInteger.valueOf(amountMinor).multiply(BigInteger.valueOf(quantity))
                .multiply(BigInteger.valueOf(left));
        return new BigDecimal(numerator).divide(BigDecimal.valueOf(days), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static Money times(Money amount, long quantity) {
        return Money.of(Math.multiplyExact(amount.amountMinor(), quantity), amount.currency());
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------- time

    /** The stored subscription, moved on to now: trial over, period renewed (scheduled change taken) or ended. */
    private Subscription settled(Key key) {
        Subscription s = subscriptions.get(key);
        Instant now = clock.instant();
        Subscription.Builder b = s.toBuilder();
        boolean changed = false;
        if (s.status() == SubscriptionStatus.TRIALING && s.trialEnd() != null && !now.isBefore(s.trialEnd())) {
            b.status(SubscriptionStatus.ACTIVE);
            changed = true;
        }
        if (s.status().running() && !now.isBefore(s.currentPeriodEnd())) {
            changed = true;
            if (s.cancelAtPeriodEnd()) {
                b.status(SubscriptionStatus.CANCELED).cancelAtPeriodEnd(false);
            } else {
                Plan plan = s.pendingChange() != null ? s.pendingChange().plan() : s.plan();
                LocalDate start = day(s.currentPeriodEnd());
                LocalDate end = plan.interval().next(start);
                while (!now.isBefore(end.atStartOfDay(ZoneOffset.UTC).toInstant())) {
                    start = end;
                    end = plan.interval().next(start);
                }
                b.plan(plan).pendingChange(null).currentPeriodStart(start.atStartOfDay(ZoneOffset.UTC).toInstant())
                        .currentPeriodEnd(end.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
        }
        if (!changed) {
            return s;
        }
        Subscription after = b.version(s.version() + 1).build();
        subscriptions.put(key, after);
        return after;
    }

    private Subscription require(Key key) {
        if (!subscriptions.containsKey(key)) {
            throw PortalException.notFound("subscription");
        }
        return settled(key);
    }

    private static Key key(CustomerScope scope, String subscriptionId) {
        Checks.required(scope, "scope");
        return new Key(scope.tenantId(), scope.customerId(), subscriptionId);
    }
}
