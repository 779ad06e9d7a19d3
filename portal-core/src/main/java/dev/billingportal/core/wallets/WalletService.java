package dev.billingportal.core.wallets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.audit.AuditActor;
import dev.billingportal.core.audit.AuditEventType;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.WalletSettings;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.events.WalletTopUpRequested;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Auditor;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.CursorCodec;
import dev.billingportal.core.internal.EventPublisher;
import dev.billingportal.core.internal.Ids;
import dev.billingportal.core.internal.PortalRuntime;
import dev.billingportal.core.internal.ProviderCalls;
import dev.billingportal.core.internal.RecordedWrites;
import dev.billingportal.core.session.Flow;
import dev.billingportal.core.session.FlowType;
import dev.billingportal.core.session.PortalContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The wallets slice of {@code PortalService}: the customer sees their prepaid wallets and their transactions (keyset
 * pages, newest first, with cursors signed for the session, the customer and the wallet) and, as the configuration
 * allows, tops one up. A top-up is checked here before the provider sees it: credits are a decimal string, positive,
 * with at most the wallet's decimals, inside the configured and the wallet's own limits (inclusive), on an active
 * wallet. Audited as {@code WALLET_TOP_UP_REQUESTED} and announced as {@code WalletTopUpRequested}.
 *
 * <p>A wallet that does not exist and another customer's (or tenant's) answer alike:
 * {@code NOT_FOUND wallet_not_found}. A provider that fails is {@code UNAVAILABLE provider_unavailable}. Thread-safe.
 */
public final class WalletService {
    /** Transactions per page when the request names no limit. */
    public static final int DEFAULT_LIMIT = 20;
    /** Most transactions per page. */
    public static final int MAX_LIMIT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(WalletService.class);

    private final PortalRuntime rt;
    private final RecordedWrites writes;

    /**
     * The slice over the service's settings; built by {@code PortalService}.
     *
     * @param rt      the service's settings
     * @param auditor writes the audit trail
     * @param events  announces events
     */
    public WalletService(PortalRuntime rt, Auditor auditor, EventPublisher events) {
        this.rt = rt;
        this.writes = new RecordedWrites(rt, auditor, events);
    }

    /**
     * The wallet settings of this configuration when wallets are shown and a provider is installed.
     *
     * @param configuration a session's configuration
     * @return the settings, or null when the feature is off
     */
    public WalletSettings settings(PortalConfiguration configuration) {
        WalletSettings s = Checks.required(configuration, "configuration").wallets();
        return s.enabled() && rt.wallets() != null ? s : null;
    }

    /**
     * The customer's wallets.
     *
     * @param ctx the session
     * @return them, in the provider's order
     * @throws PortalException {@code FORBIDDEN feature_disabled}; {@code UNAVAILABLE provider_unavailable}
     */
    public List<Wallet> wallets(PortalContext ctx) {
        settingsOf(ctx);
        return List.copyOf(call(() -> rt.wallets().wallets(ctx.scope())));
    }

    /**
     * One wallet of the customer.
     *
     * @param ctx      the session
     * @param walletId its id
     * @return it
     * @throws PortalException {@code NOT_FOUND wallet_not_found} when missing or another customer's
     */
    public Wallet wallet(PortalContext ctx, String walletId) {
        settingsOf(ctx);
        return find(ctx.scope(), walletId).orElseThrow(WalletService::notFound);
    }

    /**
     * What one top-up of this wallet may buy in this session.
     *
     * @param ctx    the session
     * @param wallet one of the customer's wallets
     * @return the limits, or null when this session may not top it up (top-ups off, wallet not active)
     */
    public TopUpLimits topUpLimits(PortalContext ctx, Wallet wallet) {
        WalletSettings s = settings(ctx.configuration());
        if (s == null || !s.topUp() || wallet.status() != WalletStatus.ACTIVE) {
            return null;
        }
        return new TopUpLimits(TopUpLimits.tighter(s.minCredits(), wallet.minTopUp(), true),
                TopUpLimits.tighter(s.maxCredits(), wallet.maxTopUp(), false));
    }

    /**
     * A page of a wallet's transactions, newest first.
     *
     * @param ctx      the session
     * @param walletId the wallet
     * @param limit    1 to {@value #MAX_LIMIT}
     * @param cursor   the previous page's {@code next_cursor}, or null for the first page
     * @return the page
     * @throws PortalException {@code NOT_FOUND wallet_not_found}; {@code VALIDATION_ERROR} on {@code limit};
     *                         {@code INVALID_REQUEST invalid_cursor} for a cursor not handed out by this session for
     *                         this wallet
     */
    public WalletTransactionPage transactions(PortalContext ctx, String walletId, int limit, String cursor) {
        Wallet wallet = wallet(ctx, walletId);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw PortalException.invalid("limit", "must be 1 to " + MAX_LIMIT);
        }
        String list = list(wallet.id());
        WalletTransactionKey after = null;
        if (cursor != null) {
            CursorCodec.TimeKey key = CursorCodec.decode(ctx.sessionId(), ctx.scope(), list, cursor);
            after = new WalletTransactionKey(key.at(), key.id());
        }
        WalletTransactionKey from = after;
        List<WalletTransaction> fetched = call(() ->
                rt.wallets().transactions(ctx.scope(), wallet.id(), from, limit + 1));
        List<WalletTransaction> page = new ArrayList<>();
        for (WalletTransaction t : fetched) {
            // a provider that answers out of order, past the cursor or another wallet's rows is not trusted
            if (!t.walletId().equals(wallet.id()) || (from != null && !from.isBefore(t.key()))
                    || (!page.isEmpty() && !page.get(page.size() - 1).key().isBefore(t.key()))) {
                throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable",
                        "the wallet provider answered transactions out of order or of another wallet");
            }
            page.add(t);
        }
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            WalletTransactionKey last = page.get(limit - 1).key();
            next = CursorCodec.encode(ctx.sessionId(), ctx.scope(), list, last.createdAt(), last.id());
        }
        return new WalletTransactionPage(page, next);
    }

    /**
     * Tops a wallet up by {@code credits}, at most once per {@code requestId}.
     *
     * @param ctx       the session
     * @param walletId  the wallet
     * @param credits   the credits as the customer sent them (a decimal string)
     * @param requestId the request's id (derived from its {@code Idempotency-Key}, else fresh)
     * @return the pending transaction and the payment to make, if any
     * @throws PortalException {@code NOT_FOUND wallet_not_found}; {@code FORBIDDEN feature_disabled} when top-ups
     *                         are off; {@code CONFLICT wallet_not_active}; {@code VALIDATION_ERROR} on
     *                         {@code credits}: {@code required}, {@code invalid_format}, {@code must_be_positive},
     *                         {@code too_large}, {@code too_many_decimals}, {@code below_minimum},
     *                         {@code above_maximum}; {@code UNAVAILABLE provider_unavailable}
     */
    public TopUpResult topUp(PortalContext ctx, String walletId, String credits, String requestId) {
        WalletSettings s = settingsOf(ctx);
        Wallet wallet = wallet(ctx, walletId);
        if (!s.topUp()) {
            throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", "top-ups are not enabled");
        }
        if (wallet.status() != WalletStatus.ACTIVE) {
            throw new PortalException(ErrorCode.CONFLICT, "wallet_not_active", "this wallet cannot be topped up");
        }
        if (credits == null || credits.isEmpty()) {
            throw Credits.problem("required");
        }
        BigDecimal amount = Credits.parse(credits, wallet.creditsScale());
        TopUpLimits limits = topUpLimits(ctx, wallet);
        if (limits.minCredits() != null && amount.compareTo(limits.minCredits()) < 0) {
            throw Credits.problem("below_minimum");
        }
        if (limits.maxCredits() != null && amount.compareTo(limits.maxCredits()) > 0) {
            throw Credits.problem("above_maximum");
        }
        TopUp topUp = new TopUp(wallet.id(), amount, Checks.id(requestId, "request_id"));
        return writes.run(ctx, AuditEventType.WALLET_TOP_UP_REQUESTED, null, () -> {
            TopUpResult made = call(() -> rt.wallets().topUp(ctx.scope(), topUp));
            WalletTransaction t = made == null ? null : made.transaction();
            if (t == null || !t.walletId().equals(wallet.id()) || t.credits().compareTo(amount) != 0
                    || t.type() != WalletTransactionType.INBOUND) {
                throw new PortalException(ErrorCode.UNAVAILABLE, "provider_unavailable",
                        "the wallet provider answered another transaction than the top-up asked");
            }
            return made;
        }, made -> new WalletTopUpRequested(Ids.event(), ctx.customerRef(), ctx.sessionId(), rt.clock().instant(),
                wallet.id(), made.transaction().id(), made.transaction().credits(), made.transaction().amount(),
                invoiceOf(made)), made -> {
            WalletTransaction t = made.transaction();
            ObjectNode details = ApiJson.MAPPER.createObjectNode();
            details.put("wallet_id", wallet.id());
            details.put("wallet_transaction_id", t.id());
            details.put("credits", t.credits().toPlainString());
            details.put("amount_cents", t.amount().amountMinor());
            details.put("currency", t.amount().currency().getCurrencyCode());
            details.put("invoice_id", invoiceOf(made));
            return details;
        }, LOG);
    }

    private static String invoiceOf(TopUpResult made) {
        return made.payment() == null ? null : made.payment().invoiceId();
    }

    /**
     * Refuses, when a session is created, a {@code wallet_top_up} flow whose feature is off or that names a wallet
     * the customer does not have (or that cannot be topped up).
     *
     * @param customer      the session's customer
     * @param configuration its configuration
     * @param flow          a wallet flow
     * @throws PortalException {@code VALIDATION_ERROR} naming {@code flow}
     */
    public void checkFlow(Customer customer, PortalConfiguration configuration, Flow flow) {
        WalletSettings s = settings(configuration);
        if (flow.type() != FlowType.WALLET_TOP_UP || s == null || !s.topUp()) {
            throw PortalException.invalid("flow", "the " + flow.type().jsonName()
                    + " flow needs a feature this session's configuration does not enable");
        }
        Wallet wallet = find(CustomerScope.of(customer), flow.walletId()).orElseThrow(() ->
                PortalException.invalid("flow.wallet_id", "is not a wallet of this customer"));
        if (wallet.status() != WalletStatus.ACTIVE) {
            throw PortalException.invalid("flow.wallet_id", "is a wallet that cannot be topped up");
        }
    }

    private static String list(String walletId) {
        return "wallet_transactions:" + walletId;
    }

    private Optional<Wallet> find(CustomerScope scope, String walletId) {
        if (walletId == null || walletId.isEmpty() || walletId.length() > Checks.MAX_ID_LENGTH) {
            return Optional.empty();
        }
        Optional<Wallet> found = call(() -> rt.wallets().wallet(scope, walletId));
        return found.filter(w -> w.id().equals(walletId));
    }

    private WalletSettings settingsOf(PortalContext ctx) {
        Checks.required(ctx, "context");
        WalletSettings s = settings(ctx.configuration());
        if (s == null) {
            throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled", "wallets are not enabled");
        }
        return s;
    }

    private static <T> T call(Supplier<T> provider) {
        return ProviderCalls.call("the wallet provider is unavailable; retry with the same Idempotency-Key", true,
                provider);
    }

    private static PortalException notFound() {
        return PortalException.notFound("wallet");
    }
}
