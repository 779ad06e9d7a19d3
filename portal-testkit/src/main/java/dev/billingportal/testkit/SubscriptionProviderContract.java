package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.CancelMode;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.subscriptions.Cancellation;
import dev.billingportal.core.subscriptions.PlanChange;
import dev.billingportal.core.subscriptions.PlanChangePreview;
import dev.billingportal.core.subscriptions.Subscription;
import dev.billingportal.core.subscriptions.SubscriptionProvider;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link SubscriptionProvider}: subclass it, return your provider over the data {@link Seed}
 * describes, and run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MySubscriptionProviderTest extends SubscriptionProviderContract {
 *     @Override
 *     protected Seeded createProvider() {
 *         resetSandbox(); // your billing system's test account, emptied
 *         // owner: an active monthly subscription "sub-1" that may move to "pro";
 *         // stranger: a customer of ANOTHER tenant whose subscription is also called "sub-1"
 *         return new Seeded(new MyProvider(client), new Seed(owner, "sub-1", "pro", stranger));
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: every method is scoped (the same subscription id in
 * another tenant is another subscription, untouched by anything done to the owner's); a preview changes nothing and
 * is reproducible (the same figures, so the same {@link PlanChangePreview#fingerprint()}); a confirmed change
 * applies only at the previewed figures, at most once per change id, atomically when confirmations race; a
 * cancellation at period end can be resumed once, and neither can be repeated.
 */
public abstract class SubscriptionProviderContract {

    /**
     * What the provider under test holds.
     *
     * @param owner          a customer with the subscription below
     * @param subscriptionId an ACTIVE subscription of the owner (no trial, nothing scheduled), billed per period
     * @param targetPlan     a plan code in the same currency it may move to (not its current plan)
     * @param stranger       a customer of another tenant (ideally with the same customer id) who also has a
     *                       subscription called {@code subscriptionId}
     */
    public record Seed(CustomerScope owner, String subscriptionId, String targetPlan, CustomerScope stranger) {
        /** Requires all four; the stranger must be in another tenant. */
        public Seed {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(targetPlan, "targetPlan");
            Objects.requireNonNull(stranger, "stranger");
            if (owner.tenantId().equals(stranger.tenantId())) {
                throw new IllegalArgumentException("the stranger must be of another tenant");
            }
        }
    }

    /**
     * A provider and what it was seeded with.
     *
     * @param provider the provider under test
     * @param seed     its data
     */
    public record Seeded(SubscriptionProvider provider, Seed seed) {
        /** Requires both. */
        public Seeded {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(seed, "seed");
        }
    }

    private SubscriptionProvider provider;
    private Seed seed;
    private Subscription strangersBefore;

    /**
     * Return a provider over FRESH data as {@link Seed} describes; called before each test.
     *
     * @return the provider and its seed
     */
    protected abstract Seeded createProvider();

    @BeforeEach
    final void createProviderUnderTest() {
        Seeded seeded = createProvider();
        assertThat(seeded).as("createProvider()").isNotNull();
        provider = seeded.provider();
        seed = seeded.seed();
        strangersBefore = provider.subscription(seed.stranger(), seed.subscriptionId()).orElse(null);
        assertThat(strangersBefore).as("rule: the stranger has a subscription of the same id (the seed's trap)")
                .isNotNull();
    }

    private Subscription own() {
        return provider.subscription(seed.owner(), seed.subscriptionId()).orElseThrow(
                () -> new AssertionError("the owner's subscription " + seed.subscriptionId() + " is gone"));
    }

    private void assertStrangerUntouched() {
        assertThat(provider.subscription(seed.stranger(), seed.subscriptionId())).as(
                "rule: nothing done to the owner's %s changes the stranger's of the same id", seed.subscriptionId())
                .contains(strangersBefore);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).as("rule: the refusal's code").isEqualTo(code);
            assertThat(e.reason()).as("rule: the refusal's reason").isEqualTo(reason);
        });
    }

    // ---------------------------------------------------------------- reading

    @Test
    @DisplayName("subscriptions are scoped: the owner's list holds theirs, a missing id is empty, the stranger's is theirs")
    void scoped() {
        Subscription own = own();
        assertThat(provider.subscriptions(seed.owner())).as("rule: the owner's list holds the owner's subscription")
                .contains(own);
        assertThat(provider.subscription(seed.owner(), "no-such-subscription-0")).as("rule: a missing id is empty")
                .isEmpty();
        assertThat(provider.subscription(seed.owner(), seed.subscriptionId().toUpperCase(java.util.Locale.ROOT)
                + (seed.subscriptionId().equals(seed.subscriptionId().toUpperCase(java.util.Locale.ROOT)) ? "x" : "")))
                .as("rule: lookups are exact").isEmpty();
        assertThat(provider.subscriptions(seed.stranger())).as("rule: the stranger's list is the stranger's")
                .contains(strangersBefore).doesNotContain(own == strangersBefore ? null : own);
        assertThat(provider.plans(seed.owner(), own)).as("rule: the target plan is one the owner may move to")
                .anyMatch(plan -> plan.code().equals(seed.targetPlan()));
    }

    @ParameterizedTest(name = "a preview ({0}) changes nothing and is reproducible")
    @EnumSource(ChangeTiming.class)
    void previewChangesNothing(ChangeTiming timing) {
        Subscription before = own();
        PlanChange change = PlanChange.preview(seed.subscriptionId(), seed.targetPlan(), timing);
        PlanChangePreview first = provider.preview(seed.owner(), change);
        PlanChangePreview second = provider.preview(seed.owner(), change);
        assertThat(first.subscriptionId()).as("rule: the preview is of the subscription asked").isEqualTo(seed.subscriptionId());
        assertThat(first.planCode()).as("rule: the preview is of the plan asked").isEqualTo(seed.targetPlan());
        assertThat(first.timing()).as("rule: the preview has the timing asked").isEqualTo(timing);
        assertThat(second.fingerprint()).as("rule: the same state previews the same figures").isEqualTo(first.fingerprint());
        assertThat(first.subscriptionVersion()).as("rule: the figures are of the current version").isEqualTo(before.version());
        assertThat(own()).as("rule: a preview changes nothing").isEqualTo(before);
        assertRefused(() -> provider.preview(seed.owner(), PlanChange.preview("no-such-subscription-0",
                seed.targetPlan(), timing)), ErrorCode.NOT_FOUND, "subscription_not_found");
        assertStrangerUntouched();
    }

    // ---------------------------------------------------------------- changing

    @ParameterizedTest(name = "a confirmed change ({0}) applies once, at the previewed figures")
    @EnumSource(ChangeTiming.class)
    void changeAppliesOnce(ChangeTiming timing) {
        Subscription before = own();
        PlanChange change = PlanChange.preview(seed.subscriptionId(), seed.targetPlan(), timing);
        PlanChangePreview preview = provider.preview(seed.owner(), change);
        Subscription after = provider.change(seed.owner(), change.confirmed("contract-change-1", preview.fingerprint()));
        assertThat(after.id()).isEqualTo(seed.subscriptionId());
        assertThat(after.version()).as("rule: a change moves the version on").isGreaterThan(before.version());
        if (timing == ChangeTiming.IMMEDIATELY) {
            assertThat(after.plan().code()).as("rule: an immediate change is on the new plan").isEqualTo(seed.targetPlan());
        } else {
            assertThat(after.plan().code()).as("rule: a change at period end keeps the plan until then")
                    .isEqualTo(before.plan().code());
            assertThat(after.pendingChange()).as("rule: ...and schedules the new one").isNotNull();
            assertThat(after.pendingChange().plan().code()).isEqualTo(seed.targetPlan());
            assertThat(after.pendingChange().effectiveAt()).isEqualTo(preview.effectiveAt());
        }
        assertThat(own()).as("rule: the change is stored").isEqualTo(after);
        Subscription again = provider.change(seed.owner(), change.confirmed("contract-change-1", preview.fingerprint()));
        assertThat(again).as("rule: the same change id again acts not again").isEqualTo(after);
        assertThat(own().version()).as("rule: ...and moves no version").isEqualTo(after.version());
        assertStrangerUntouched();
    }

    @ParameterizedTest(name = "a change ({0}) at figures no longer the provider's is preview_outdated and changes nothing")
    @EnumSource(ChangeTiming.class)
    void outdatedFigures(ChangeTiming timing) {
        Subscription before = own();
        PlanChange change = PlanChange.preview(seed.subscriptionId(), seed.targetPlan(), timing);
        String wrong = "0".repeat(64);
        assertRefused(() -> provider.change(seed.owner(), change.confirmed("contract-change-2", wrong)),
                ErrorCode.CONFLICT, "preview_outdated");
        assertThat(own()).as("rule: a refused change changes nothing").isEqualTo(before);
        // a cancellation moves the figures: a preview made before it is outdated
        PlanChangePreview preview = provider.preview(seed.owner(), change);
        provider.cancel(seed.owner(), new Cancellation(seed.subscriptionId(), CancelMode.AT_PERIOD_END, null, null));
        provider.resume(seed.owner(), seed.subscriptionId());
        Subscription resumed = own();
        assertThatThrownBy(() -> provider.change(seed.owner(), change.confirmed("contract-change-3", preview.fingerprint())))
                .as("rule: a preview of an earlier version is refused").isInstanceOf(PortalException.class);
        assertThat(own()).isEqualTo(resumed);
        assertStrangerUntouched();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    @DisplayName("confirmations racing with different change ids: one applies, the others are refused")
    void racingConfirmations() throws Exception {
        PlanChange change = PlanChange.preview(seed.subscriptionId(), seed.targetPlan(), ChangeTiming.IMMEDIATELY);
        PlanChangePreview preview = provider.preview(seed.owner(), change);
        long before = own().version();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            CyclicBarrier barrier = new CyclicBarrier(threads);
            for (int i = 0; i < threads; i++) {
                String id = "contract-race-" + i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        provider.change(seed.owner(), change.confirmed(id, preview.fingerprint()));
                        return true;
                    } catch (PortalException e) {
                        return false;
                    }
                }));
            }
            int applied = 0;
            for (Future<Boolean> result : results) {
                applied += result.get() ? 1 : 0;
            }
            assertThat(applied).as("rule: of racing confirmations of one preview, exactly one applies").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(own().version()).as("rule: the subscription changed once").isEqualTo(before + 1);
        assertStrangerUntouched();
    }

    // ---------------------------------------------------------------- cancelling

    @Test
    @DisplayName("a cancellation at period end is scheduled once, resumed once, and reaches only the owner's")
    void cancelAndResume() {
        Subscription before = own();
        Cancellation cancellation = new Cancellation(seed.subscriptionId(), CancelMode.AT_PERIOD_END,
                CancellationReason.TOO_EXPENSIVE, "contract");
        Subscription canceled = provider.cancel(seed.owner(), cancellation);
        assertThat(canceled.cancelAtPeriodEnd()).as("rule: a cancellation at period end is scheduled").isTrue();
        assertThat(canceled.endingAt()).as("rule: ...to end with the period").isEqualTo(before.currentPeriodEnd());
        assertThat(canceled.status().running()).as("rule: ...and runs until then").isTrue();
        assertRefused(() -> provider.cancel(seed.owner(), cancellation), ErrorCode.CONFLICT, "subscription_not_cancelable");
        Subscription resumed = provider.resume(seed.owner(), seed.subscriptionId());
        assertThat(resumed.cancelAtPeriodEnd()).as("rule: resume undoes the scheduled cancellation").isFalse();
        assertThat(resumed.endingAt()).as("rule: ...and it renews again").isNull();
        assertRefused(() -> provider.resume(seed.owner(), seed.subscriptionId()), ErrorCode.CONFLICT,
                "subscription_not_resumable");
        assertStrangerUntouched();
    }

    @Test
    @DisplayName("a cancellation now ends the subscription, which then cannot be resumed or changed")
    void cancelNow() {
        Subscription canceled = provider.cancel(seed.owner(), new Cancellation(seed.subscriptionId(),
                CancelMode.IMMEDIATELY, null, null));
        assertThat(canceled.status().running()).as("rule: cancelled now, it has ended").isFalse();
        assertRefused(() -> provider.resume(seed.owner(), seed.subscriptionId()), ErrorCode.CONFLICT,
                "subscription_not_resumable");
        assertThatThrownBy(() -> provider.preview(seed.owner(), PlanChange.preview(seed.subscriptionId(),
                seed.targetPlan(), ChangeTiming.IMMEDIATELY))).as("rule: an ended subscription is not changed")
                .isInstanceOf(PortalException.class);
        assertStrangerUntouched();
    }
}
