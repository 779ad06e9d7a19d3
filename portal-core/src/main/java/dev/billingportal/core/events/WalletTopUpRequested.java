package dev.billingportal.core.events;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer asked in the portal to top up a prepaid wallet: the provider made a pending inbound transaction (and,
 * when it bills it, an invoice to pay). Credits travel as a decimal string, amounts in minor units.
 *
 * @param id            the event's id
 * @param customer      who
 * @param sessionId     the session they did it in
 * @param occurredAt    when
 * @param walletId      the wallet
 * @param transactionId the pending transaction
 * @param credits       the credits bought
 * @param amount        what they are worth
 * @param invoiceId     the invoice to pay for them, or null
 */
public record WalletTopUpRequested(String id, CustomerRef customer, String sessionId, Instant occurredAt,
                                   String walletId, String transactionId, BigDecimal credits, Money amount,
                                   String invoiceId) implements PortalEvent {

    /** Validates the event. */
    public WalletTopUpRequested {
        Checks.id(id, "id");
        Checks.required(customer, "customer");
        Checks.required(occurredAt, "occurred_at");
        Checks.id(walletId, "wallet_id");
        Checks.id(transactionId, "transaction_id");
        Checks.required(credits, "credits");
        Checks.required(amount, "amount");
    }

    @Override
    public String type() {
        return "wallet.top_up_requested";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("wallet_id", walletId);
        data.put("wallet_transaction_id", transactionId);
        data.put("credits", credits.toPlainString());
        data.put("amount_cents", amount.amountMinor());
        data.put("currency", amount.currency().getCurrencyCode());
        data.put("invoice_id", invoiceId);
        return data;
    }
}
