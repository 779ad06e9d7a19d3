package dev.billingportal.core.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Calls into a host's provider (subscriptions, payments, usage, wallets): its own {@code PortalException}s (a
 * refusal with a stable code) pass as they are; anything else is {@code UNAVAILABLE provider_unavailable}. Not API.
 */
public final class ProviderCalls {
    private ProviderCalls() {
    }

    /**
     * Runs one provider call.
     *
     * @param message   the message of {@code provider_unavailable}, e.g. "the wallet provider is unavailable; retry
     *                  with the same Idempotency-Key"
     * @param keepCause whether the provider's exception is kept as the cause (false where its message may carry
     *                  what must not travel further, as a payment provider's may)
     * @param call      the call
     * @param <T>       its result
     * @return its result
     */
    public static <T> T call(String message, boolean keepCause, Supplier<T> call) {
        try {
            return call.get();
        } catch (PortalException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable", message, Map.of(),
                    keepCause ? e : null);
        }
    }
}
