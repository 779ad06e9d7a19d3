package dev.billingportal.core.subscriptions;

import dev.billingportal.core.CustomerScope;

import java.util.List;
import java.util.Optional;

/**
 * The host's subscriptions (its billing system: Lago, Stripe, its own), as the portal reads and changes them. Every
 * method is scoped by {@link CustomerScope}: a subscription of another customer or tenant must be invisible (empty,
 * never an error telling it exists). The portal decides what the customer may do (configuration, plans offered,
 * timing, cancel mode); the provider computes every price and applies every change.
 *
 * <p>Refusals: throw {@link dev.billingportal.core.PortalException} with {@code CONFLICT} or {@code VALIDATION_ERROR}
 * and a stable reason (e.g. {@code preview_outdated}, {@code subscription_not_cancelable}); the portal passes it on.
 * Any other exception means the provider is unavailable: the customer gets {@code 503 provider_unavailable} and may
 * retry. Implementations must be thread-safe; testkit's {@code SubscriptionProviderContract} checks an implementation.
 */
public interface SubscriptionProvider {

    /**
     * The customer's subscriptions, running and ended, in a stable order.
     *
     * @param scope the customer
     * @return their subscriptions
     */
    List<Subscription> subscriptions(CustomerScope scope);

    /**
     * One subscription of the customer.
     *
     * @param scope          the customer
     * @param subscriptionId its id
     * @return it, or empty when it does not exist or is another customer's
     */
    Optional<Subscription> subscription(CustomerScope scope, String subscriptionId);

    /**
     * The plans this subscription could move to (the portal narrows them by its configuration and currency).
     *
     * @param scope        the customer
     * @param subscription one of their subscriptions
     * @return the plans, the current one included or not
     */
    List<Plan> plans(CustomerScope scope, Subscription subscription);

    /**
     * What a change would cost, without changing anything.
     *
     * @param scope  the customer
     * @param change the change (not {@linkplain PlanChange#isConfirmed() confirmed})
     * @return the preview, computed on the subscription's current {@linkplain Subscription#version() version}
     * @throws dev.billingportal.core.PortalException {@code NOT_FOUND subscription_not_found} for a subscription
     *                                                not in the scope, or a refusal
     */
    PlanChangePreview preview(CustomerScope scope, PlanChange change);

    /**
     * Applies (or schedules, by its timing) a confirmed change, atomically and at most once: if its
     * {@link PlanChange#changeId()} was applied before, answer the subscription as it is now without acting again;
     * else, if the preview of this change now has another fingerprint than {@link PlanChange#expectedFingerprint()},
     * refuse with {@code CONFLICT preview_outdated} and change nothing; else apply it.
     *
     * @param scope  the customer
     * @param change the confirmed change
     * @return the subscription after it
     */
    Subscription change(CustomerScope scope, PlanChange change);

    /**
     * Cancels a running subscription now or at the end of its period.
     *
     * @param scope        the customer
     * @param cancellation what to cancel, how and why
     * @return the subscription after it
     * @throws dev.billingportal.core.PortalException {@code CONFLICT subscription_not_cancelable} when it has ended
     *                                                or its cancellation is already scheduled
     */
    Subscription cancel(CustomerScope scope, Cancellation cancellation);

    /**
     * Undoes a scheduled cancellation before the period ends.
     *
     * @param scope          the customer
     * @param subscriptionId the subscription
     * @return the subscription after it
     * @throws dev.billingportal.core.PortalException {@code CONFLICT subscription_not_resumable} when no cancellation
     *                                                is scheduled or the period is over
     */
    Subscription resume(CustomerScope scope, String subscriptionId);
}
