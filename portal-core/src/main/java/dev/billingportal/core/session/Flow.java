package dev.billingportal.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;

import java.net.URI;
import java.util.Objects;

/**
 * A deep link: the session opens the portal on one task (edit the profile, pay an invoice, ...) and, once it is done,
 * does what {@link #afterCompletion()} says. Named by the host in {@code SessionRequest.flow(...)}, checked when the
 * session is created (the feature must be on, the objects it names must be the customer's), stored with the session
 * and signed into its token.
 *
 * @param type            what to open
 * @param subscriptionId  the subscription, for the subscription flows, else null
 * @param planCode        the plan, for {@link FlowType#SUBSCRIPTION_UPDATE_CONFIRM}, else null
 * @param invoiceId       the invoice, for {@link FlowType#INVOICE_PAY}, else null
 * @param walletId        the wallet, for {@link FlowType#WALLET_TOP_UP}, else null
 * @param afterCompletion what happens once it is done
 */
public record Flow(FlowType type, String subscriptionId, String planCode, String invoiceId, String walletId,
                   AfterCompletion afterCompletion) {

    /** Validates that the flow names exactly the objects its type needs. */
    public Flow {
        if (type == null) {
            throw PortalException.invalid("flow.type", "is required");
        }
        afterCompletion = afterCompletion == null ? AfterCompletion.PORTAL_HOMEPAGE : afterCompletion;
        boolean subscription = type == FlowType.SUBSCRIPTION_UPDATE || type == FlowType.SUBSCRIPTION_UPDATE_CONFIRM
                || type == FlowType.SUBSCRIPTION_CANCEL;
        need(subscriptionId, subscription, "flow.subscription_id");
        need(planCode, type == FlowType.SUBSCRIPTION_UPDATE_CONFIRM, "flow.plan_code");
        need(invoiceId, type == FlowType.INVOICE_PAY, "flow.invoice_id");
        need(walletId, type == FlowType.WALLET_TOP_UP, "flow.wallet_id");
    }

    private static void need(String value, boolean needed, String field) {
        if (needed) {
            Checks.id(value, field);
        } else if (value != null) {
            throw PortalException.invalid(field, "is not part of this flow");
        }
    }

    /** Opens the profile edit form, then back to the portal's home page. */
    public static Flow profileUpdate() {
        return new Flow(FlowType.PROFILE_UPDATE, null, null, null, null, null);
    }

    /** Opens the plan picker of one subscription. */
    public static Flow subscriptionUpdate(String subscriptionId) {
        return new Flow(FlowType.SUBSCRIPTION_UPDATE, subscriptionId, null, null, null, null);
    }

    /** Opens the confirmation of changing one subscription to one plan. */
    public static Flow subscriptionUpdateConfirm(String subscriptionId, String planCode) {
        return new Flow(FlowType.SUBSCRIPTION_UPDATE_CONFIRM, subscriptionId, planCode, null, null, null);
    }

    /** Opens the cancel dialog of one subscription. */
    public static Flow subscriptionCancel(String subscriptionId) {
        return new Flow(FlowType.SUBSCRIPTION_CANCEL, subscriptionId, null, null, null, null);
    }

    /** Opens adding a payment method. */
    public static Flow paymentMethodUpdate() {
        return new Flow(FlowType.PAYMENT_METHOD_UPDATE, null, null, null, null, null);
    }

    /** Opens paying one invoice. */
    public static Flow invoicePay(String invoiceId) {
        return new Flow(FlowType.INVOICE_PAY, null, null, invoiceId, null, null);
    }

    /** Opens topping up one wallet. */
    public static Flow walletTopUp(String walletId) {
        return new Flow(FlowType.WALLET_TOP_UP, null, null, null, walletId, null);
    }

    /** A copy doing {@code after} once complete. */
    public Flow afterCompletion(AfterCompletion after) {
        return new Flow(type, subscriptionId, planCode, invoiceId, walletId, after);
    }

    /**
     * The flow as JSON (Stripe's {@code flow_data} shape): what storage keeps, the token signs and
     * {@code GET /portal/api/config} reports.
     *
     * @return {@code {"type":...,"subscription_id":...,"after_completion":{"type":...,...}}}
     */
    public ObjectNode toJsonNode() {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("type", type.jsonName());
        if (subscriptionId != null) node.put("subscription_id", subscriptionId);
        if (planCode != null) node.put("plan_code", planCode);
        if (invoiceId != null) node.put("invoice_id", invoiceId);
        if (walletId != null) node.put("wallet_id", walletId);
        ObjectNode after = node.putObject("after_completion");
        after.put("type", afterCompletion.type().jsonName());
        if (afterCompletion.redirectUrl() != null) {
            after.putObject("redirect").put("return_url", afterCompletion.redirectUrl().toString());
        }
        if (afterCompletion.type() == AfterCompletion.Type.HOSTED_CONFIRMATION) {
            after.putObject("hosted_confirmation").put("custom_message", afterCompletion.message());
        }
        return node;
    }

    /** {@link #toJsonNode()} as compact text. */
    public String toJson() {
        return toJsonNode().toString();
    }

    /**
     * Reads {@link #toJson()}'s form.
     *
     * @param json the text
     * @return the flow
     * @throws PortalException {@code VALIDATION_ERROR} when it is not a valid flow
     */
    public static Flow fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw PortalException.invalid("flow", "is not a flow");
        }
        if (node == null || !node.isObject()) {
            throw PortalException.invalid("flow", "is not a flow");
        }
        FlowType type = FlowType.ofJsonName(node.path("type").asText(""))
                .orElseThrow(() -> PortalException.invalid("flow.type", "unknown flow"));
        JsonNode after = node.path("after_completion");
        AfterCompletion completion = AfterCompletion.PORTAL_HOMEPAGE;
        switch (after.path("type").asText("portal_homepage")) {
            case "redirect" -> completion = AfterCompletion.redirect(
                    URI.create(after.path("redirect").path("return_url").asText()));
            case "hosted_confirmation" -> {
                JsonNode message = after.path("hosted_confirmation").path("custom_message");
                completion = AfterCompletion.hostedConfirmation(message.isTextual() ? message.asText() : null);
            }
            case "portal_homepage" -> completion = AfterCompletion.PORTAL_HOMEPAGE;
            default -> throw PortalException.invalid("flow.after_completion.type", "unknown after-completion");
        }
        return new Flow(type, text(node, "subscription_id"), text(node, "plan_code"), text(node, "invoice_id"),
                text(node, "wallet_id"), completion);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
