package dev.billingportal.testkit;

import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.ProfileSettings;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.testkit.PortalWorld.Who;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import static dev.billingportal.core.invoices.InvoiceStatus.DRAFT;
import static dev.billingportal.core.invoices.InvoiceStatus.FINALIZED;
import static dev.billingportal.core.invoices.InvoiceStatus.VOIDED;
import static dev.billingportal.core.invoices.PaymentStatus.FAILED;
import static dev.billingportal.core.invoices.PaymentStatus.PENDING;
import static dev.billingportal.core.invoices.PaymentStatus.SUCCEEDED;
import static dev.billingportal.testkit.PortalWorld.EDITABLE;
import static dev.billingportal.testkit.PortalWorld.EUR;
import static dev.billingportal.testkit.PortalWorld.JPY;
import static dev.billingportal.testkit.PortalWorld.MAX_TOP_UP;
import static dev.billingportal.testkit.PortalWorld.MIN_TOP_UP;
import static dev.billingportal.testkit.PortalWorld.OFFERED_PLANS;
import static dev.billingportal.testkit.PortalWorld.USD;

/**
 * The seed catalogue of {@link PortalWorld}, the world of {@link PortalIsolationContract} and
 * {@link PortalApiFuzzContract}: each customer as seeded, each customer's invoices (the same shapes on the same dates
 * for everyone, the ids shared across tenants), and each tenant's default portal configuration. It builds values and
 * holds no state: the world saves them, in its own order.
 */
final class WorldCatalogue {

    private WorldCatalogue() {
    }


    /** Each tenant's default: framable by its own origins, every profile field but the tax id editable. */
    static PortalConfiguration configuration(List<String> frameAncestors) {
        return PortalConfiguration.builder().frameAncestors(frameAncestors)
                .profile(new ProfileSettings(true, EDITABLE))
                .subscriptions(SubscriptionSettings.DEFAULT.withPlans(OFFERED_PLANS)
                        .withReasons(List.of(CancellationReason.TOO_EXPENSIVE, CancellationReason.OTHER), false, true))
                .wallets(new WalletSettings(true, true, MIN_TOP_UP, MAX_TOP_UP)) // usage+wallets (branch usage)
                .build();
    }

    static Customer customerOf(Who who) {
        return Customer.builder().tenantId(who.tenant).id(who.id).externalId(who.externalId).name(who.name)
                .legalName(who.name + " Ltd").email(who.email).taxId("TAX-" + who.suffix).currency(EUR)
                .timezone(ZoneOffset.UTC)
                .billingAddress(new Address("1 " + who.suffix + " Street", null, "Town " + who.suffix, null, "1000", "GB"))
                .build();
    }

    static List<Invoice> invoicesOf(Customer c, Who who) {
        List<Invoice> list = new ArrayList<>();
        String own = "inv-" + who.tag + "-";
        long base = who.amountBase;
        list.add(invoice(c, own + "1", "INV-2026-1-" + who.suffix, FINALIZED, PENDING, date(1, 15), date(2, 14), base + 1, EUR, null));
        list.add(invoice(c, own + "2", "INV-2026-2-" + who.suffix, FINALIZED, SUCCEEDED, date(3, 10), date(4, 9), base + 2, EUR, null));
        list.add(invoice(c, own + "3", "INV-2026-3-" + who.suffix, VOIDED, PENDING, date(5, 5), date(6, 4), base + 3, EUR, null));
        list.add(invoice(c, own + "4", "INV-2026-4-" + who.suffix, FINALIZED, FAILED, date(11, 1), date(12, 1), base + 4, USD, "redirect"));
        list.add(invoice(c, own + "5", "INV-2026-5-" + who.suffix, DRAFT, PENDING, date(11, 10), date(12, 10), base + 5, EUR, null));
        list.add(invoice(c, own + "6", "FACTURE-été-6-" + who.suffix, FINALIZED, PENDING, date(7, 20), date(8, 19), base + 6, JPY, null));
        if (who != Who.B) {
            // the same ids in tenants T and U: A's and A''s
            list.add(invoice(c, "inv-shared-1", "INV-2026-S1-" + who.suffix, FINALIZED, PENDING, date(9, 1), date(12, 31), base + 7, EUR, null));
            list.add(invoice(c, "inv-shared-2", "INV-2026-S2-" + who.suffix, who == Who.A ? VOIDED : FINALIZED, SUCCEEDED,
                    date(2, 2), date(3, 4), base + 8, EUR, null));
            list.add(invoice(c, "inv-shared-draft", "INV-2026-SD-" + who.suffix, who == Who.A ? DRAFT : FINALIZED, PENDING,
                    date(10, 10), date(11, 9), base + 9, EUR, null));
        }
        if (who != Who.A) {
            // the same id in tenants T and U: B's and A''s
            list.add(invoice(c, "inv-shared-b", "INV-2026-SB-" + who.suffix, FINALIZED, SUCCEEDED, date(6, 15), date(7, 15),
                    base + 10, EUR, "redirect"));
        }
        return List.copyOf(list);
    }

    private static LocalDate date(int month, int day) {
        return LocalDate.of(2026, month, day);
    }

    private static Invoice invoice(Customer owner, String id, String number, InvoiceStatus status, PaymentStatus payment,
                                   LocalDate issued, LocalDate due, long total, Currency currency, String documentRef) {
        return Invoice.builder().customer(owner).id(id).number(number).status(status).paymentStatus(payment)
                .issuingDate(issued).paymentDueDate(due).total(Money.of(total, currency))
                .taxes(Money.of(total / 6, currency)).documentRef(documentRef).build();
    }
}
