package dev.billingportal.core.config;

/**
 * What customers may do to their payment methods.
 *
 * @param enabled    whether payment methods are shown and managed
 * @param removeLast whether the only method may be removed while a subscription is active (default false)
 */
public record PaymentMethodSettings(boolean enabled, boolean removeLast) {
    /** On (still needs a provider); the last method stays while a subscription is active. */
    public static final PaymentMethodSettings DEFAULT = new PaymentMethodSettings(true, false);
}
