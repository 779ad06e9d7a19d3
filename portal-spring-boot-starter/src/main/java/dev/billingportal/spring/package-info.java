/**
 * Spring Boot auto-configuration for the billing portal: add {@code portal-spring-boot-starter}, a
 * {@code DataSource}, {@code billing-portal.portal-url} and {@code billing-portal.signing.secret}, and the portal
 * is served at {@code /portal/}. See {@link dev.billingportal.spring.BillingPortalAutoConfiguration} and
 * {@link dev.billingportal.spring.PortalProperties}.
 */
package dev.billingportal.spring;
