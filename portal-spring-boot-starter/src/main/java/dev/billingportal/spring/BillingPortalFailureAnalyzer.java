package dev.billingportal.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link BillingPortalConfigurationException} into Spring Boot's start-up report: the setting and its
 * problem as the description, the fix as the action, instead of a bean-creation stack trace.
 */
public final class BillingPortalFailureAnalyzer extends AbstractFailureAnalyzer<BillingPortalConfigurationException> {

    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public BillingPortalFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BillingPortalConfigurationException cause) {
        return new FailureAnalysis("Billing Portal setting " + cause.property() + ": " + cause.problem(),
                cause.action(), cause);
    }
}
