package dev.billingportal.core.internal;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.SessionFeatures;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.InvoiceService;
import dev.billingportal.core.payments.PaymentService;
import dev.billingportal.core.profile.ProfileService;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionService;
import dev.billingportal.core.subscriptions.SubscriptionService;
import dev.billingportal.core.usage.UsageService;
import dev.billingportal.core.wallets.WalletService;

/**
 * The feature slices of one {@code PortalService}, built together, and what needs all of them at once: which flows
 * may run and which features a session may use. A new feature adds its slice here, so the facade does not grow with
 * features beyond its one accessor. Not API.
 */
public final class Slices {
    /** Sessions, links, authentication. */
    public final SessionService sessions;
    /** Invoices and their overview. */
    public final InvoiceService invoices;
    /** The customer's profile. */
    public final ProfileService profile;
    /** Subscriptions. */
    public final SubscriptionService subscriptions;
    /** Payment methods and invoice payments. */
    public final PaymentService payments;
    /** Usage. */
    public final UsageService usage;
    /** Prepaid wallets. */
    public final WalletService wallets;
    private final PortalRuntime rt;

    /**
     * Builds every slice over the service's settings.
     *
     * @param rt the settings
     */
    public Slices(PortalRuntime rt) {
        this.rt = rt;
        Auditor auditor = new Auditor(rt.audit(), rt.clock());
        EventPublisher events = new EventPublisher(rt.outbox(), rt.listener());
        this.profile = new ProfileService(rt, auditor, events);
        this.subscriptions = new SubscriptionService(rt, auditor, events);
        this.usage = new UsageService(rt);
        this.wallets = new WalletService(rt, auditor, events);
        this.invoices = new InvoiceService(rt, auditor);
        this.sessions = new SessionService(rt, auditor, events,
                new ConfigurationResolver(rt.configurations(), rt.defaultConfiguration()), this::checkFlow);
        this.payments = new PaymentService(rt, auditor, events, invoices, sessions);
    }

    /** Each feature checks the flows it owns; a flow of a feature that is not installed is refused. */
    private void checkFlow(Customer customer, PortalConfiguration configuration, Flow flow) {
        boolean available = switch (flow.type()) {
            case PROFILE_UPDATE -> configuration.profile().on() && rt.customers().supportsUpdate();
            case SUBSCRIPTION_UPDATE, SUBSCRIPTION_UPDATE_CONFIRM, SUBSCRIPTION_CANCEL -> {
                subscriptions.checkFlow(customer, configuration, flow); // feature on, the customer's own
                yield true;
            }
            case PAYMENT_METHOD_UPDATE, INVOICE_PAY -> {
                payments.checkFlow(customer, configuration, flow); // feature on; the invoice the customer's, payable
                yield true;
            }
            case WALLET_TOP_UP -> {
                wallets.checkFlow(customer, configuration, flow); // feature on, the customer's own wallet
                yield true;
            }
        };
        if (!available) {
            throw PortalException.invalid("flow", "the " + flow.type().jsonName()
                    + " flow needs a feature this session's configuration does not enable");
        }
    }

    /**
     * What this session may do: its configuration narrowed to the features whose provider is installed.
     *
     * @param ctx the session
     * @return the features
     */
    public SessionFeatures features(PortalContext ctx) {
        PortalConfiguration c = ctx.configuration();
        return new SessionFeatures(c.invoices().history(), c.invoices().history() && invoices.documentsEnabled(),
                c.invoices().history() && payments.invoicePayments(c), profile.editableFields(ctx),
                subscriptions.settings(c), payments.settings(c), usage.enabled(c), wallets.settings(c));
    }
}
