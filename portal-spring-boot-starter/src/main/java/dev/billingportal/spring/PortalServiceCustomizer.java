package dev.billingportal.spring;

import dev.billingportal.core.PortalService;
import dev.billingportal.core.PortalServiceBuilder;

/**
 * Adjusts the {@link PortalServiceBuilder} the auto-configuration fills from {@code billing-portal.*} and the
 * application's beans, just before it builds: a clock, per-tenant settings, an issuer. Every such bean is
 * applied, in {@link org.springframework.core.annotation.Order} order. An application that wants full control
 * defines its own {@code PortalService} bean instead.
 */
@FunctionalInterface
public interface PortalServiceCustomizer {
    /**
     * Adjusts the builder.
     *
     * @param builder the builder, already holding the repositories, signer and properties
     */
    void customize(PortalServiceBuilder builder);
}
