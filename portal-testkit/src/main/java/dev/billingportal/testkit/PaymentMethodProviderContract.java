package dev.billingportal.testkit;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.payments.InvoicePayment;
import dev.billingportal.core.payments.InvoicePaymentStatus;
import dev.billingportal.core.payments.PaymentMethod;
import dev.billingportal.core.payments.PaymentMethodProvider;
import dev.billingportal.core.payments.ReturnUrls;
import dev.billingportal.core.payments.SetupSession;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link PaymentMethodProvider}: subclass it, return your provider over the data {@link Seed}
 * describes, and run it as an ordinary JUnit Jupiter test class.
 *
 * <pre>{@code
 * class MyPaymentMethodProviderTest extends PaymentMethodProviderContract {
 *     @Override
 *     protected Seeded createProvider() {
 *         resetSandbox(); // your payment provider's test account, emptied
 *         // owner: two methods, "pm-1" the default; stranger: ANOTHER tenant's customer who also has a "pm-2"
 *         return new Seeded(new MyProvider(client), new Seed(owner, "pm-1", "pm-2", stranger, openInvoice),
 *                 () -> sandbox.charges().size());
 *     }
 * }
 * }</pre>
 *
 * <p>What it pins down, beyond the Javadoc of the interface: every method is scoped (the same method id in another
 * tenant is another method, untouched by anything done to the owner's); at most one method is the default; a setup
 * is a fresh hosted page each time and changes nothing by itself; a payment is at most once per attempt id, also when
 * eight calls with one id race; unknown ids are {@code NOT_FOUND payment_method_not_found}.
 */
public abstract class PaymentMethodProviderContract {

    /**
     * What the provider under test holds.
     *
     * @param owner         a customer with at least the two methods below
     * @param defaultMethod the owner's default method
     * @param otherMethod   another method of the owner, not the default
     * @param stranger      a customer of another tenant (ideally with the same customer id) who also has a method
     *                      called {@code otherMethod}
     * @param openInvoice   an unpaid invoice of the owner with something due
     */
    public record Seed(CustomerScope owner, String defaultMethod, String otherMethod, CustomerScope stranger,
                       Invoice openInvoice) {
        /** Requires all; the stranger must be in another tenant. */
        public Seed {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(defaultMethod, "defaultMethod");
            Objects.requireNonNull(otherMethod, "otherMethod");
            Objects.requireNonNull(stranger, "stranger");
            Objects.requireNonNull(openInvoice, "openInvoice");
            if (owner.tenantId().equals(stranger.tenantId())) {
                throw new IllegalArgumentException("the stranger must be of another tenant");
            }
        }
    }

    /**
     * A provider, what it was seeded with, and how many charges it has taken (null when it cannot tell; the
     * at-most-once rules then check the answers only).
     *
     * @param provider the provider under test
     * @param seed     its data
     * @param charges  the number of charges taken so far, or null
     */
    public record Seeded(PaymentMethodProvider provider, Seed seed, IntSupplier charges) {
        /** Requires the provider and the seed. */
        public Seeded {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(seed, "seed");
        }
    }

    /** Where the contract's hosted pages send the customer back. */
    protected static final ReturnUrls RETURN = new ReturnUrls(URI.create("https://portal.example/portal/?setup=complete"),
            URI.create("https://portal.example/portal/?setup=canceled"));

    private PaymentMethodProvider provider;
    private Seed seed;
    private IntSupplier charges;
    private List<PaymentMethod> strangersBefore;

    /**
     * Return a provider over FRESH data as {@link Seed} describes; called before each test.
     *
     * @return the provider, its seed and its charge count
     */
    protected abstract Seeded createProvider();

    @BeforeEach
    final void createProviderUnderTest() {
        Seeded seeded = createProvider();
        assertThat(seeded).as("createProvider()").isNotNull();
        provider = seeded.provider();
        seed = seeded.seed();
        charges = seeded.charges();
        strangersBefore = provider.paymentMethods(seed.stranger());
        assertThat(strangersBefore).extracting(PaymentMethod::id)
                .as("rule: the stranger has a method of the same id (the seed's trap)").contains(seed.otherMethod());
    }

    private List<String> ownIds() {
        return provider.paymentMethods(seed.owner()).stream().map(PaymentMethod::id).toList();
    }

    private void assertStrangerUntouched() {
        assertThat(provider.paymentMethods(seed.stranger()))
                .as("rule: nothing done to the owner's methods changes the stranger's").isEqualTo(strangersBefore);
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PortalException.class, e -> {
            assertThat(e.code()).as("rule: the refusal's code").isEqualTo(code);
            assertThat(e.reason()).as("rule: the refusal's reason").isEqualTo(reason);
        });
    }

    /** The owner's methods, with exactly one default (the seed's), in a stable order. */
    @Test
    @DisplayName("the owner's methods: the seed's, exactly one default, the same order twice")
    void listsTheOwnersMethods() {
        List<PaymentMethod> methods = provider.paymentMethods(seed.owner());
        assertThat(methods).extracting(PaymentMethod::id).as("rule: the owner's methods")
                .contains(seed.defaultMethod(), seed.otherMethod());
        assertThat(methods).filteredOn(PaymentMethod::isDefault).extracting(PaymentMethod::id)
                .as("rule: exactly one default").containsExactly(seed.defaultMethod());
        assertThat(provider.paymentMethods(seed.owner())).as("rule: a stable order").isEqualTo(methods);
    }

    /** A setup is a fresh hosted page each time, and changes no method by itself. */
    @Test
    @DisplayName("a setup answers a fresh https hosted page and changes nothing by itself")
    void setupIsAHandOff() {
        List<PaymentMethod> before = provider.paymentMethods(seed.owner());
        SetupSession first = provider.startSetup(seed.owner(), RETURN);
        SetupSession second = provider.startSetup(seed.owner(), RETURN);
        assertThat(first.redirectUrl().getScheme()).as("rule: the hosted page is https (or http on localhost)")
                .isIn("https", "http");
        assertThat(first.id()).as("rule: every setup is a session of its own").isNotEqualTo(second.id());
        assertThat(provider.paymentMethods(seed.owner())).as("rule: a setup adds nothing until completed")
                .isEqualTo(before);
        assertStrangerUntouched();
    }

    /** Making the other method the default leaves exactly it as the default, and answers the list. */
    @Test
    @DisplayName("set default: exactly the chosen method is the default; the stranger's of the same id is untouched")
    void setDefault() {
        List<PaymentMethod> after = provider.setDefault(seed.owner(), seed.otherMethod());
        assertThat(after).filteredOn(PaymentMethod::isDefault).extracting(PaymentMethod::id)
                .as("rule: the answer has exactly the chosen default").containsExactly(seed.otherMethod());
        assertThat(provider.paymentMethods(seed.owner())).as("rule: the answer is the list afterwards").isEqualTo(after);
        assertStrangerUntouched();
    }

    /** Removing takes the method out of the owner's list only. */
    @Test
    @DisplayName("remove: the method leaves the owner's list; the stranger's of the same id stays")
    void remove() {
        provider.remove(seed.owner(), seed.otherMethod());
        assertThat(ownIds()).as("rule: removed").doesNotContain(seed.otherMethod()).contains(seed.defaultMethod());
        assertStrangerUntouched();
    }

    /** Unknown ids, and the stranger's ids the owner does not have, are refused without a change. */
    @Test
    @DisplayName("unknown methods are NOT_FOUND payment_method_not_found, and nothing changes")
    void unknownMethods() {
        String strangersOnly = strangersBefore.stream().map(PaymentMethod::id).filter(id -> !ownIds().contains(id))
                .findFirst().orElse("pm-contract-missing");
        List<PaymentMethod> before = provider.paymentMethods(seed.owner());
        for (String id : List.of("pm-contract-missing", strangersOnly)) {
            assertRefused(() -> provider.setDefault(seed.owner(), id), ErrorCode.NOT_FOUND, "payment_method_not_found");
            assertRefused(() -> provider.remove(seed.owner(), id), ErrorCode.NOT_FOUND, "payment_method_not_found");
        }
        assertThat(provider.paymentMethods(seed.owner())).isEqualTo(before);
        assertStrangerUntouched();
    }

    /** A payment answers its attempt and invoice; a second call with the same attempt id is the same outcome. */
    @Test
    @DisplayName("pay: one outcome per attempt id, charged at most once")
    void payOncePerAttempt() {
        int before = charges == null ? 0 : charges.getAsInt();
        InvoicePayment first = provider.payInvoice(seed.owner(), seed.openInvoice(), RETURN, "pay_contract_1");
        assertThat(first.attemptId()).as("rule: the answer names the attempt").isEqualTo("pay_contract_1");
        assertThat(first.invoiceId()).as("rule: the answer names the invoice").isEqualTo(seed.openInvoice().id());
        assertThat(first.status() == InvoicePaymentStatus.REDIRECT).as("rule: a redirect, and only one, has a URL")
                .isEqualTo(first.redirectUrl() != null);
        InvoicePayment again = provider.payInvoice(seed.owner(), seed.openInvoice(), RETURN, "pay_contract_1");
        assertThat(again).as("rule: a retry of the attempt answers its outcome").isEqualTo(first);
        if (charges != null) {
            assertThat(charges.getAsInt() - before).as("rule: at most one charge per attempt").isLessThanOrEqualTo(1);
        }
        assertStrangerUntouched();
    }

    /** Eight calls racing with one attempt id: one outcome, at most one charge. */
    @Test
    @Timeout(30)
    @DisplayName("pay: eight racing calls with one attempt id charge at most once")
    void racingPaymentsChargeOnce() throws Exception {
        int before = charges == null ? 0 : charges.getAsInt();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<InvoicePayment>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return provider.payInvoice(seed.owner(), seed.openInvoice(), RETURN, "pay_contract_race");
                }));
            }
            InvoicePayment first = answers.get(0).get(20, TimeUnit.SECONDS);
            for (Future<InvoicePayment> answer : answers) {
                assertThat(answer.get(20, TimeUnit.SECONDS)).as("rule: one attempt, one outcome").isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        if (charges != null) {
            assertThat(charges.getAsInt() - before).as("rule: racing calls of one attempt charge at most once")
                    .isLessThanOrEqualTo(1);
        }
    }
}
