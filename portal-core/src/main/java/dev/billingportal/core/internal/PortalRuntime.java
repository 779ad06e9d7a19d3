package dev.billingportal.core.internal;

import dev.billingportal.core.PortalTransactions;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.events.PortalEventListener;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.invoices.InvoiceDocumentStore;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.payments.PaymentMethodProvider;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.core.subscriptions.SubscriptionProvider;
// usage+wallets (branch usage)
import dev.billingportal.core.usage.UsageProvider;
import dev.billingportal.core.wallets.WalletProvider;
import dev.billingportal.core.token.TokenSigner;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything a {@code PortalService} was built with, validated, shared by its feature slices. Not API: built only by
 * {@code PortalServiceBuilder}.
 *
 * @param customers             customers (SPI)
 * @param invoices              invoices (SPI)
 * @param sessions              sessions (SPI)
 * @param tokenSigner           signs and verifies tokens
 * @param portalUrl             where links point
 * @param sessionTtl            longest session
 * @param clockSkew             tolerated clock difference
 * @param documents             invoice documents, or null
 * @param clock                 time
 * @param issuer                token issuer
 * @param audience              token audience
 * @param defaultLocale         the service's default language
 * @param configurations        the tenants' configurations
 * @param defaultConfiguration  the configuration when a tenant has none
 * @param linkMode              reusable or one-time links
 * @param exchangedSessionTtl   idle timeout of exchanged sessions
 * @param audit                 the audit trail
 * @param listener              hears events after commit
 * @param outbox                receives events in the write's transaction
 * @param transactions          runs a write and its records in one transaction
 * @param idempotency           remembers writes by key
 * @param subscriptions         the host's subscriptions, or null when the feature is not installed
 * @param paymentMethods        the host's payment provider, or null when payments are not installed
 * @param usage                 the host's metered usage, or null when the feature is not installed
 * @param wallets               the host's prepaid wallets, or null when the feature is not installed
 */
public record PortalRuntime(CustomerRepository customers, InvoiceRepository invoices, PortalSessionRepository sessions,
                            TokenSigner tokenSigner, URI portalUrl, Duration sessionTtl, Duration clockSkew,
                            InvoiceDocumentStore documents, Clock clock, String issuer, String audience,
                            Locale defaultLocale, PortalConfigurations configurations,
                            PortalConfiguration defaultConfiguration, LinkMode linkMode, Duration exchangedSessionTtl,
                            AuditTrail audit, PortalEventListener listener, EventOutbox outbox,
                            PortalTransactions transactions, IdempotencyStore idempotency,
                            SubscriptionProvider subscriptions,
                            PaymentMethodProvider paymentMethods, UsageProvider usage, WalletProvider wallets) {
}
