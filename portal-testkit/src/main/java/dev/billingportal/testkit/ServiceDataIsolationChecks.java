package dev.billingportal.testkit;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.BillingOverview;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.testkit.InvoiceIsolationChecks.ListCase;
import dev.billingportal.testkit.PortalWorld.Who;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.List;
import java.util.function.BiConsumer;

import static dev.billingportal.testkit.InvoiceIsolationChecks.LIST_CASES;
import static dev.billingportal.testkit.IsolationRun.overviewRows;
import static dev.billingportal.testkit.IsolationRun.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@link PortalService} data checks of {@link PortalIsolationContract}, part of that contract: one method per
 * method of {@code PortalService} that reads or changes a customer's data (overview, invoices, profile,
 * subscriptions, payments, usage, wallets, features), named after it; each answers the viewer's own data, and
 * another customer's id exactly as a missing one.
 */
final class ServiceDataIsolationChecks {

    private final PortalWorld world;
    private final IsolationRun run;
    private final SubscriptionIsolationChecks subscriptionChecks;
    private final PaymentIsolationChecks paymentChecks;
    private final WalletIsolationChecks walletChecks;

    ServiceDataIsolationChecks(PortalWorld world, IsolationRun run, SubscriptionIsolationChecks subscriptionChecks,
            PaymentIsolationChecks paymentChecks, WalletIsolationChecks walletChecks) {
        this.world = world;
        this.run = run;
        this.subscriptionChecks = subscriptionChecks;
        this.paymentChecks = paymentChecks;
        this.walletChecks = walletChecks;
    }

    void overview(Who viewer) {
        BillingOverview overview = run.portal().overview(run.context(viewer));
        assertThat(overviewRows(overview)).isEqualTo(overviewRows(run.expectedOverview(viewer)));
    }

    void invoices(Who viewer) {
        PortalContext ctx = run.context(viewer);
        for (ListCase listCase : LIST_CASES) {
            List<Invoice> expected = world.expected(viewer, listCase.query());
            assertThat(run.portal().invoices(ctx, listCase.query()).items()).as("%s", listCase)
                    .containsExactlyElementsOf(expected.subList(0, Math.min(listCase.query().limit(), expected.size())));
        }
    }

    void invoice(Who viewer) {
        serviceLookups(viewer, (ctx, id) -> run.portal().invoice(ctx, id));
    }

    void downloadInvoice(Who viewer) {
        serviceLookups(viewer, (ctx, id) -> run.portal().downloadInvoice(ctx, id));
    }

    void profile(Who viewer) {
        PortalContext ctx = run.context(viewer);
        assertThat(run.portal().profile().customer(ctx)).isEqualTo(world.customer(viewer));
        try {
            Customer changed = run.portal().profile().update(ctx,
                    dev.billingportal.core.profile.CustomerUpdate.builder().legalName("Legal " + viewer).build());
            assertThat(changed.tenantId()).isEqualTo(viewer.tenant);
            assertThat(changed.externalId()).isEqualTo(viewer.externalId);
            for (Who other : viewer.others()) {
                assertThat(run.portal().authenticate(run.token(other)).customer()).as("%s after %s's update", other, viewer)
                        .isEqualTo(world.customer(other));
            }
        } finally {
            run.portal().profile().update(run.context(viewer), dev.billingportal.core.profile.CustomerUpdate.builder()
                    .legalName(world.customer(viewer).legalName()).build());
        }
        assertThat(run.portal().authenticate(run.token(viewer)).customer()).isEqualTo(world.customer(viewer));
    }

    void subscriptions(Who viewer) {
        PortalContext ctx = run.context(viewer);
        var slice = run.portal().subscriptions();
        assertThat(slice.subscriptions(ctx)).extracting(dev.billingportal.core.subscriptions.Subscription::id)
                .as("rule: the slice lists the viewer's own subscriptions")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> slice.subscription(ctx, PortalWorld.MISSING_SUBSCRIPTION));
        assertThat(missing.reason()).isEqualTo("subscription_not_found");
        for (String id : world.allSubscriptionIds()) {
            if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                assertThat(slice.subscription(ctx, id)).isEqualTo(world.seededSubscriptions.get(viewer).get(id));
                continue;
            }
            for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.subscription(ctx, id),
                    () -> slice.plans(ctx, id), () -> slice.preview(ctx, id, "pro_year"),
                    () -> slice.cancel(ctx, id, null, null), () -> slice.resume(ctx, id))) {
                PortalException e = catchThrowableOfType(PortalException.class, call);
                assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one", viewer, id)
                        .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
            }
        }
        subscriptionChecks.assertOthersUntouched(viewer, "the subscriptions slice");
    }

    void payments(Who viewer) {
        PortalContext ctx = run.context(viewer);
        var slice = run.portal().payments();
        assertThat(slice.paymentMethods(ctx)).extracting(dev.billingportal.core.payments.PaymentMethod::id)
                .as("rule: the slice lists the viewer's own payment methods")
                .containsExactlyElementsOf(world.seededPaymentMethods(viewer));
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> slice.setDefault(ctx, PortalWorld.MISSING_PAYMENT_METHOD));
        assertThat(missing.reason()).isEqualTo("payment_method_not_found");
        for (String id : world.allPaymentMethodIds()) {
            if (world.seededPaymentMethods(viewer).contains(id)) {
                continue;
            }
            for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.setDefault(ctx, id),
                    () -> slice.remove(ctx, id))) {
                PortalException e = catchThrowableOfType(PortalException.class, call);
                assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one", viewer, id)
                        .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
            }
        }
        for (String id : world.allIds()) {
            if (world.visible(viewer, id).isEmpty()) {
                PortalException e = catchThrowableOfType(PortalException.class, () -> slice.payInvoice(ctx, id, "k"));
                assertThat(e).as("rule: %s pays %s (not theirs)", viewer, id).isNotNull();
                assertThat(e.reason()).isEqualTo("invoice_not_found");
            }
        }
        assertThat(world.payments.charges()).as("rule: nothing charged for another's invoice").isEmpty();
        paymentChecks.assertPaymentsOfOthersUntouched(viewer, "the payments slice");
    }

    void usage(Who viewer) {
        PortalContext ctx = run.context(viewer);
        var slice = run.portal().usage();
        assertThat(slice.current(ctx)).extracting(dev.billingportal.core.usage.UsageSummary::subscriptionId)
                .as("rule: the usage slice shows the viewer's own subscriptions")
                .containsExactlyInAnyOrderElementsOf(world.seededSubscriptions.get(viewer).keySet());
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> slice.history(ctx, PortalWorld.MISSING_SUBSCRIPTION, 6));
        assertThat(missing.reason()).isEqualTo("subscription_not_found");
        for (String id : world.allSubscriptionIds()) {
            if (world.seededSubscriptions.get(viewer).containsKey(id)) {
                assertThat(slice.history(ctx, id, 6)).singleElement()
                        .extracting(p -> p.total().amountMinor()).isEqualTo(viewer.amountBase + 12);
                continue;
            }
            PortalException e = catchThrowableOfType(PortalException.class, () -> slice.history(ctx, id, 6));
            assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("rule: %s's history of %s, as a missing one",
                    viewer, id).isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
        }
    }

    void wallets(Who viewer) {
        PortalContext ctx = run.context(viewer);
        var slice = run.portal().wallets();
        assertThat(slice.wallets(ctx)).extracting(dev.billingportal.core.wallets.Wallet::id)
                .as("rule: the wallets slice lists the viewer's own wallets")
                .containsExactlyInAnyOrderElementsOf(world.seededWallets.get(viewer).keySet());
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> slice.wallet(ctx, PortalWorld.MISSING_WALLET));
        assertThat(missing.reason()).isEqualTo("wallet_not_found");
        try {
            for (String id : world.allWalletIds()) {
                if (world.seededWallets.get(viewer).containsKey(id)) {
                    assertThat(slice.wallet(ctx, id)).isEqualTo(world.seededWallets.get(viewer).get(id));
                    assertThat(slice.transactions(ctx, id, 100, null).transactions())
                            .containsExactlyElementsOf(world.seededWalletTransactions.get(viewer).get(id));
                    continue;
                }
                for (ThrowingCallable call : List.<ThrowingCallable>of(() -> slice.wallet(ctx, id),
                        () -> slice.transactions(ctx, id, 10, null),
                        () -> slice.topUp(ctx, id, "5.00", "topup_isolation_" + id))) {
                    PortalException e = catchThrowableOfType(PortalException.class, call);
                    assertThat(e).as("rule: %s's slice on %s (not theirs)", viewer, id).isNotNull();
                    assertThat(List.of(e.code(), e.reason(), e.getMessage())).as("%s on %s, as a missing one",
                            viewer, id).isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage()));
                }
            }
            walletChecks.assertWalletsOfOthersUntouched(viewer, "the wallets slice");
        } finally {
            world.restoreWallets();
        }
    }

    void features(Who viewer) {
        assertThat(run.portal().features(run.context(viewer)).profileEditable()).as("profile edits of %s's tenant", viewer)
                .containsExactlyInAnyOrderElementsOf(PortalWorld.EDITABLE);
    }

    private void serviceLookups(Who viewer, BiConsumer<PortalContext, String> lookup) {
        PortalContext ctx = run.context(viewer);
        PortalException missing = catchThrowableOfType(PortalException.class,
                () -> lookup.accept(ctx, PortalWorld.MISSING_ID));
        assertThat(missing).isNotNull();
        assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
        int own = 0;
        for (String id : world.allIds()) {
            if (world.visible(viewer, id).isPresent()) {
                own++;
                lookup.accept(ctx, id);
                continue;
            }
            for (String probe : List.of(id, id.toUpperCase(java.util.Locale.ROOT), id + " ", " " + id, id + "\0")) {
                PortalException e = catchThrowableOfType(PortalException.class, () -> lookup.accept(ctx, probe));
                assertThat(e).as("%s looking up %s", viewer, probe).isNotNull();
                assertThat(List.of(e.code(), e.reason(), e.getMessage(), e.details()))
                        .as("%s looking up %s, compared with a missing id", viewer, probe)
                        .isEqualTo(List.of(missing.code(), missing.reason(), missing.getMessage(), missing.details()));
            }
        }
        assertThat(own).isGreaterThanOrEqualTo(6);
        for (Invoice invoice : world.invoices.get(viewer)) {
            if (invoice.status().visibleInPortal()) {
                assertThat(run.portal().invoice(ctx, invoice.id())).isEqualTo(invoice);
                InvoiceDocument document = run.portal().downloadInvoice(ctx, invoice.id());
                if (document instanceof InvoiceDocument.Redirect redirect) {
                    assertThat(redirect.location()).isEqualTo(WorldDocuments.documentUrl(invoice));
                } else {
                    assertThat(read((InvoiceDocument.Stream) document)).isEqualTo(WorldDocuments.documentBytes(invoice));
                }
            }
        }
    }
}
