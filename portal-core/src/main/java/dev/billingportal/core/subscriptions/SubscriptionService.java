package dev.billingportal.core.subscriptions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.events.PortalEvent;
import dev.billingportal.core.events.SubscriptionCanceled;
import dev.billingportal.core.events.SubscriptionChanged;
import dev.billingportal.core.events.SubscriptionResumed;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.EventPublisher;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.ProviderCalls;
import dev.billingportal.core.internal.RecordedWrites;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The subscriptions slice of {@code PortalService}: the customer sees their subscriptions and, as the session's
 * configuration allows, changes the plan (after a signed {@linkplain #preview preview}, at exactly its figures),
 * cancels (with a reason and comment when asked) and resumes. The host's {@link SubscriptionProvider} computes every
 * price and applies every change; this slice decides what is allowed, audits each action and announces it as a
 * {@code SubscriptionChanged}, {@code SubscriptionCanceled} or {@code SubscriptionResumed} event.
 *
 * <p>A subscription that does not exist and another customer's (or tenant's) answer alike:
 * {@code NOT_FOUND subscription_not_found}. A provider that fails (anything but a {@link PortalException}) is
 * {@code UNAVAILABLE provider_unavailable}. Thread-safe.
 */
public final class SubscriptionService {
    /** Minutes a preview id stays valid. */
    public static final long PREVIEW_MINUTES = 15;
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionService.class);

    private final PortalRuntime rt;
    private final RecordedWrites writes;
    private final SubscriptionReads reads;

    /**
     * The slice over the service's settings; built by {@code PortalService}.
     *
     * @param rt      the service's settings
     * @param auditor writes the audit trail
     * @param events  announces events
     */
    public SubscriptionService(PortalRuntime rt, Auditor auditor, EventPublisher events) {
        this.rt = rt;
        this.writes = new RecordedWrites(rt, auditor, events);
        this.reads = new SubscriptionReads(rt);
    }

    /**
     * The subscription settings of this configuration when subscriptions are shown and a provider is installed.
     *
     * @param configuration a session's configuration
     * @return the settings, or null when the feature is off
     */
    public SubscriptionSettings settings(PortalConfiguration configuration) {
        SubscriptionSettings s = Checks.required(configuration, "configuration").subscriptions();
        return s.view() && rt.subscriptions() != null ? s : null;
    }

    /**
     * The customer's subscriptions.
     *
     * @param ctx the session
     * @return them, in the provider's order
     * @throws PortalException {@code FORBIDDEN feature_disabled} when the feature is off for this session
     */
    public List<Subscription> subscriptions(PortalContext ctx) {
        settingsOf(ctx);
        return List.copyOf(SubscriptionReads.call(() -> rt.subscriptions().subscriptions(ctx.scope())));
    }

    /**
     * One subscription of the customer.
     *
     * @param ctx            the session
     * @param subscriptionId its id
     * @return it
     * @throws PortalException {@code NOT_FOUND subscription_not_found} when missing or another customer's
     */
    public Subscription subscription(PortalContext ctx, String subscriptionId) {
        settingsOf(ctx);
        return reads.find(ctx.scope(), subscriptionId).orElseThrow(SubscriptionService::notFound);
    }

    /**
     * What this session may do to the subscription now.
     *
     * @param ctx          the session
     * @param subscription one of the customer's subscriptions
     * @return the actions
     */
    public SubscriptionActions actions(PortalContext ctx, Subscription subscription) {
        SubscriptionSettings s = settings(ctx.configuration());
        if (s == null) {
            return SubscriptionActions.NONE;
        }
        Instant now = rt.clock().instant();
        boolean running = subscription.status().running() && subscription.endingAt() == null
                || subscription.resumableAt(now);
        boolean change = s.change() && running && !subscription.cancelAtPeriodEnd()
                && !reads.offered(ctx.scope(), s, subscription).isEmpty();
        boolean cancel = s.cancel() && subscription.status().running() && !subscription.cancelAtPeriodEnd();
        boolean resume = s.resume() && subscription.resumableAt(now);
        return new SubscriptionActions(change, cancel, resume);
    }

    /**
     * The plans the subscription may change to under the configuration: those of the provider, narrowed to the
     * configured list (per current plan, else overall; empty: all), in the subscription's currency, without its
     * current plan.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @return the plans with their direction
     * @throws PortalException {@code NOT_FOUND subscription_not_found}; {@code FORBIDDEN feature_disabled} when plan
     *                         changes are off
     */
    public List<OfferedPlan> plans(PortalContext ctx, String subscriptionId) {
        SubscriptionSettings s = settingsOf(ctx);
        Subscription subscription = subscription(ctx, subscriptionId);
        if (!s.change()) {
            throw disabled("plan changes");
        }
        return reads.offered(ctx.scope(), s, subscription);
    }

    /**
     * What changing to {@code planCode} would cost, with a signed id valid {@value #PREVIEW_MINUTES} minutes that
     * {@link #change} requires. Changes nothing and is not audited.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @param planCode       the plan
     * @return the signed preview
     * @throws PortalException as {@link #change}, but for the preview id
     */
    public SignedPreview preview(PortalContext ctx, String subscriptionId, String planCode) {
        Target target = target(ctx, subscriptionId, planCode);
        PlanChangePreview preview = SubscriptionReads.call(() -> rt.subscriptions().preview(ctx.scope(),
                PlanChange.preview(subscriptionId, planCode, target.timing())));
        if (!preview.subscriptionId().equals(subscriptionId) || !preview.planCode().equals(planCode)
                || preview.timing() != target.timing()) {
            throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable",
                    "the subscription provider previewed another change than asked");
        }
        Instant expires = rt.clock().instant().plus(PreviewId.VALIDITY);
        String id = PreviewId.encode(ctx.sessionId(), ctx.scope(), new PreviewId.Claims(expires, preview));
        return new SignedPreview(id, expires, preview);
    }

    /**
     * Changes the plan (or schedules the change, by the configured timing) at exactly the previewed figures: the
     * provider applies it only if its preview now has the fingerprint signed into {@code previewId}, and at most once
     * per preview id (a retry after a failure completes it; two tabs confirming one preview change it once).
     * Audited as {@code SUBSCRIPTION_CHANGED} and announced as {@code SubscriptionChanged}.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @param planCode       the plan, as previewed
     * @param previewId      the id of the preview the customer confirms
     * @return the subscription after the change
     * @throws PortalException {@code NOT_FOUND subscription_not_found}; {@code FORBIDDEN feature_disabled} when
     *                         changes are off; {@code CONFLICT subscription_not_changeable} when its state forbids
     *                         it; {@code VALIDATION_ERROR} on {@code plan_code} ({@code not_offered}) or
     *                         {@code preview_id} (not this session's preview of this change); {@code CONFLICT
     *                         preview_outdated} when the preview expired or its figures are no longer the provider's
     *                         (nothing changed); {@code UNAVAILABLE provider_unavailable}
     */
    public Subscription change(PortalContext ctx, String subscriptionId, String planCode, String previewId) {
        Checks.required(previewId, "preview_id");
        PreviewId.Claims signed = PreviewId.decode(ctx.sessionId(), ctx.scope(), previewId);
        PlanChangePreview claims = signed.preview();
        SubscriptionSettings s = settingsOf(ctx);
        Subscription subscription = subscription(ctx, subscriptionId);
        if (!s.change()) {
            throw disabled("plan changes");
        }
        Checks.required(planCode, "plan_code");
        if (!claims.subscriptionId().equals(subscriptionId) || !claims.planCode().equals(planCode)) {
            throw PortalException.invalid("preview_id", "is the preview of another change");
        }
        boolean done = subscription.plan().code().equals(planCode) || (subscription.pendingChange() != null
                && subscription.pendingChange().plan().code().equals(planCode));
        ChangeTiming timing;
        if (done) {
            // already on (or moving to) that plan: the retry of a change that went through, which the provider
            // recognises by its change id, or a stale confirmation, which it refuses
            timing = claims.timing();
        } else {
            timing = target(ctx, subscriptionId, planCode).timing();
            if (claims.timing() != timing) {
                throw outdated(); // the configuration changed since
            }
        }
        if (!rt.clock().instant().isBefore(signed.expiresAt())) {
            throw outdated();
        }
        Target target = new Target(subscription, null, timing);
        PlanChange change = PlanChange.preview(subscriptionId, planCode, target.timing())
                .confirmed(PreviewId.changeId(previewId), claims.fingerprint()); // of the figures the id carries
        Money due = claims.amountDueNow();
        SubscriptionChanged event = new SubscriptionChanged(Ids.event(), ctx.customerRef(), ctx.sessionId(),
                rt.clock().instant(), subscriptionId, target.subscription().plan().code(), planCode, target.timing(),
                claims.effectiveAt(), due);
        ObjectNode details = ApiJson.MAPPER.createObjectNode();
        details.put("subscription_id", subscriptionId);
        details.put("from_plan", target.subscription().plan().code());
        details.put("to_plan", planCode);
        details.put("timing", target.timing().name().toLowerCase(Locale.ROOT));
        details.put("effective_at", claims.effectiveAt().toString());
        details.put("amount_due_now_cents", due.amountMinor());
        details.put("currency", claims.currency().getCurrencyCode());
        details.put("preview_fingerprint", claims.fingerprint());
        return act(ctx, AuditEventType.SUBSCRIPTION_CHANGED, details, subscriptionId,
                () -> rt.subscriptions().change(ctx.scope(), change), result -> event);
    }

    /**
     * Cancels by the configured mode. Audited as {@code SUBSCRIPTION_CANCELED} and announced as
     * {@code SubscriptionCanceled} with the reason and comment.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @param reason         the reason, or null
     * @param comment        the comment, or null
     * @return the subscription after it
     * @throws PortalException {@code NOT_FOUND subscription_not_found}; {@code FORBIDDEN feature_disabled} when
     *                         cancelling is off; {@code VALIDATION_ERROR} on {@code reason} ({@code required},
     *                         {@code not_offered}) or {@code comment} ({@code not_allowed}, too long);
     *                         {@code CONFLICT subscription_not_cancelable}; {@code UNAVAILABLE provider_unavailable}
     */
    public Subscription cancel(PortalContext ctx, String subscriptionId, CancellationReason reason, String comment) {
        SubscriptionSettings s = settingsOf(ctx);
        Subscription subscription = subscription(ctx, subscriptionId);
        if (!s.cancel()) {
            throw disabled("cancelling");
        }
        String text = CancellationRules.checkedComment(s, reason, comment);
        if (!actions(ctx, subscription).cancel()) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_cancelable",
                    "this subscription has ended or its cancellation is already scheduled");
        }
        Cancellation cancellation = new Cancellation(subscriptionId, s.cancelMode(), reason, text);
        ObjectNode details = ApiJson.MAPPER.createObjectNode();
        details.put("subscription_id", subscriptionId);
        details.put("mode", s.cancelMode().name().toLowerCase(Locale.ROOT));
        details.put("reason", reason == null ? null : reason.jsonName());
        details.put("comment", text);
        Subscription[] after = new Subscription[1];
        return act(ctx, AuditEventType.SUBSCRIPTION_CANCELED, details, subscriptionId, () -> {
            after[0] = rt.subscriptions().cancel(ctx.scope(), cancellation);
            return after[0];
        }, result -> new SubscriptionCanceled(Ids.event(), ctx.customerRef(), ctx.sessionId(), rt.clock().instant(),
                subscriptionId, s.cancelMode(), result.endingAt(), reason, text));
    }

    /**
     * Undoes a scheduled cancellation. Audited as {@code SUBSCRIPTION_RESUMED}, announced as
     * {@code SubscriptionResumed}.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @return the subscription after it
     * @throws PortalException {@code NOT_FOUND subscription_not_found}; {@code FORBIDDEN feature_disabled} when
     *                         resuming is off; {@code CONFLICT subscription_not_resumable} when nothing is scheduled
     *                         or the period is over; {@code UNAVAILABLE provider_unavailable}
     */
    public Subscription resume(PortalContext ctx, String subscriptionId) {
        SubscriptionSettings s = settingsOf(ctx);
        Subscription subscription = subscription(ctx, subscriptionId);
        if (!s.resume()) {
            throw disabled("resuming");
        }
        if (!subscription.resumableAt(rt.clock().instant())) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_resumable",
                    "no cancellation of this subscription is scheduled, or its period is over");
        }
        ObjectNode details = ApiJson.MAPPER.createObjectNode();
        details.put("subscription_id", subscriptionId);
        SubscriptionResumed event = new SubscriptionResumed(Ids.event(), ctx.customerRef(), ctx.sessionId(),
                rt.clock().instant(), subscriptionId);
        return act(ctx, AuditEventType.SUBSCRIPTION_RESUMED, details, subscriptionId,
                () -> rt.subscriptions().resume(ctx.scope(), subscriptionId), result -> event);
    }

    /**
     * Refuses, when a session is created, a subscription flow whose feature is off or that names a subscription the
     * customer does not have (or a plan not offered to it).
     *
     * @param customer      the session's customer
     * @param configuration its configuration
     * @param flow          a subscription flow
     * @throws PortalException {@code VALIDATION_ERROR} naming {@code flow}
     */
    public void checkFlow(Customer customer, PortalConfiguration configuration, Flow flow) {
        SubscriptionSettings s = settings(configuration);
        boolean needed = switch (flow.type()) {
            case SUBSCRIPTION_CANCEL -> s != null && s.cancel();
            case SUBSCRIPTION_UPDATE, SUBSCRIPTION_UPDATE_CONFIRM -> s != null && s.change();
            default -> false;
        };
        if (!needed) {
            throw PortalException.invalid("flow", "the " + flow.type().jsonName()
                    + " flow needs a feature this session's configuration does not enable");
        }
        CustomerScope scope = CustomerScope.of(customer);
        Subscription subscription = reads.find(scope, flow.subscriptionId()).orElseThrow(() ->
                PortalException.invalid("flow.subscription_id", "is not a subscription of this customer"));
        if (flow.planCode() != null && reads.offered(scope, s, subscription).stream()
                .noneMatch(p -> p.plan().code().equals(flow.planCode()))) {
            throw PortalException.invalid("flow.plan_code", "is not a plan offered to this subscription");
        }
    }

    // ---------------------------------------------------------------- internals

    private record Target(Subscription subscription, OfferedPlan plan, ChangeTiming timing) {
    }

    /** The subscription, the offered plan and the timing of a change; refuses what is not allowed. */
    private Target target(PortalContext ctx, String subscriptionId, String planCode) {
        SubscriptionSettings s = settingsOf(ctx);
        Subscription subscription = subscription(ctx, subscriptionId);
        if (!s.change()) {
            throw disabled("plan changes");
        }
        Checks.required(planCode, "plan_code");
        OfferedPlan plan = reads.offered(ctx.scope(), s, subscription).stream()
                .filter(p -> p.plan().code().equals(planCode)).findFirst()
                .orElseThrow(() -> PortalException.invalid("plan_code", "not_offered"));
        if (!actions(ctx, subscription).change()) {
            throw new PortalException(ErrorCode.CONFLICT, "subscription_not_changeable",
                    "this subscription has ended or its cancellation is scheduled");
        }
        ChangeTiming timing = plan.direction() == PlanDirection.DOWNGRADE ? s.downgrades() : s.upgrades();
        return new Target(subscription, plan, timing);
    }

    /**
     * The provider's write, checked to answer the subscription asked, audited and announced in its transaction (see
     * {@link RecordedWrites}): a retry with the same preview completes it without acting twice.
     */
    private Subscription act(PortalContext ctx, AuditEventType type, ObjectNode details, String subscriptionId,
                             Supplier<Subscription> write, java.util.function.Function<Subscription, PortalEvent> eventOf) {
        return writes.run(ctx, type, null, () -> {
            Subscription result = SubscriptionReads.call(write);
            if (result == null || !result.id().equals(subscriptionId)) {
                throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable",
                        "the subscription provider answered another subscription than asked");
            }
            return result;
        }, eventOf, result -> details, LOG);
    }

    private SubscriptionSettings settingsOf(PortalContext ctx) {
        Checks.required(ctx, "context");
        SubscriptionSettings s = settings(ctx.configuration());
        if (s == null) {
            throw disabled("subscriptions");
        }
        return s;
    }

    private static PortalException disabled(String what) {
        return new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", what + " are not enabled");
    }

    private static PortalException notFound() {
        return PortalException.notFound("subscription");
    }

    private static PortalException outdated() {
        return new PortalException(ErrorCode.CONFLICT, "preview_outdated",
                "the preview has expired or its figures changed; preview again");
    }
}
