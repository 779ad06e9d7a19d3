package dev.billingportal.core.usage;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.ProviderCalls;
import dev.billingportal.core.session.PortalContext;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The usage slice of {@code PortalService}: what the customer has consumed in the current period of each active
 * subscription, and the totals of past periods for the chart. Read-only; the host's {@link UsageProvider} computes
 * every figure.
 *
 * <p>A subscription that is not one of the customer's active ones (missing, ended, or another customer's or
 * tenant's) answers {@code NOT_FOUND subscription_not_found}. A provider that fails is
 * {@code UNAVAILABLE provider_unavailable}. Thread-safe.
 */
public final class UsageService {
    /** Fewest past periods {@link #history} answers. */
    public static final int MIN_PERIODS = 1;
    /** Most past periods {@link #history} answers. */
    public static final int MAX_PERIODS = 24;
    /** Past periods when the request names none. */
    public static final int DEFAULT_PERIODS = 6;

    private final PortalRuntime rt;

    /**
     * The slice over the service's settings; built by {@code PortalService}.
     *
     * @param rt the service's settings
     */
    public UsageService(PortalRuntime rt) {
        this.rt = rt;
    }

    /**
     * Whether usage is shown under this configuration: it enables usage and a provider is installed.
     *
     * @param configuration a session's configuration
     * @return whether the feature is on
     */
    public boolean enabled(PortalConfiguration configuration) {
        return Checks.required(configuration, "configuration").usage() && rt.usage() != null;
    }

    /**
     * The current period's usage of each active subscription of the customer.
     *
     * @param ctx the session
     * @return the summaries, in the provider's order
     * @throws PortalException {@code FORBIDDEN feature_disabled} when usage is off for this session;
     *                         {@code UNAVAILABLE provider_unavailable}
     */
    public List<UsageSummary> current(PortalContext ctx) {
        on(ctx);
        return List.copyOf(call(() -> rt.usage().currentUsage(ctx.scope())));
    }

    /**
     * The totals of up to {@code periods} past periods of one active subscription, newest first.
     *
     * @param ctx            the session
     * @param subscriptionId the subscription
     * @param periods        1 to 24
     * @return the totals
     * @throws PortalException {@code VALIDATION_ERROR} on {@code periods}; {@code NOT_FOUND subscription_not_found}
     *                         when it is not one of the customer's active subscriptions; {@code FORBIDDEN
     *                         feature_disabled}; {@code UNAVAILABLE provider_unavailable}
     */
    public List<UsagePeriod> history(PortalContext ctx, String subscriptionId, int periods) {
        on(ctx);
        if (periods < MIN_PERIODS || periods > MAX_PERIODS) {
            throw PortalException.invalid("periods", "must be " + MIN_PERIODS + " to " + MAX_PERIODS);
        }
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > Checks.MAX_ID_LENGTH
                || current(ctx).stream().noneMatch(s -> s.subscriptionId().equals(subscriptionId))) {
            throw PortalException.notFound("subscription");
        }
        List<UsagePeriod> past = List.copyOf(call(() -> rt.usage().pastUsage(ctx.scope(), subscriptionId, periods)));
        return past.size() > periods ? past.subList(0, periods) : past;
    }

    private void on(PortalContext ctx) {
        Checks.required(ctx, "context");
        if (!enabled(ctx.configuration())) {
            throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", "usage is not enabled");
        }
    }

    private static <T> T call(Supplier<T> provider) {
        return ProviderCalls.call("the usage provider is unavailable; retry in a moment", true, provider);
    }
}
