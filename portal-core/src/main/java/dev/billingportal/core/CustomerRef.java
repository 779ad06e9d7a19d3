package dev.billingportal.core;

import dev.billingportal.core.internal.Checks;

/**
 * Names one customer from the host's side: its tenant and its external id (the id the host's
 * billing system knows it by; unique within a tenant).
 *
 * @param tenantId   the tenant; {@link #DEFAULT_TENANT} for single-tenant hosts
 * @param externalId the customer's external id
 */
public record CustomerRef(String tenantId, String externalId) {

    /** The tenant of single-tenant hosts. */
    public static final String DEFAULT_TENANT = "default";

    /** Validates both parts. */
    public CustomerRef {
        Checks.id(tenantId, "tenant_id");
        Checks.id(externalId, "external_customer_id");
    }

    /** A customer of {@code tenantId}. */
    public static CustomerRef of(String tenantId, String externalId) {
        return new CustomerRef(tenantId, externalId);
    }

    /** A customer of the {@link #DEFAULT_TENANT default tenant}. */
    public static CustomerRef of(String externalId) {
        return new CustomerRef(DEFAULT_TENANT, externalId);
    }
}
