package dev.billingportal.core.payments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.internal.ApiJson;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payment routes: {@code GET /payment_methods}, {@code POST /payment_methods/setup {}}, {@code POST
 * /payment_methods/{id}/default {}}, {@code DELETE /payment_methods/{id}} (204) and {@code POST /invoices/{id}/pay
 * {}}. Their bodies take no fields: in particular no return URL (the portal's own page is always the way back) and
 * nothing a card number could travel in. See {@link PaymentService}.
 */
public final class PaymentRoutes implements RouteContributor {
    private static final String FEATURE = "payment_methods";
    private static final String PAY_FEATURE = "invoice_payments";

    /** The routes, for {@code PortalApi}'s table. */
    public PaymentRoutes() {
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/payment_methods", FEATURE, PaymentRoutes::list),
                Route.writeWithOptionalBody("POST", "/payment_methods/setup", FEATURE, PaymentRoutes::setup),
                Route.writeWithOptionalBody("POST", "/payment_methods/{id}/default", FEATURE, PaymentRoutes::makeDefault),
                new Route("DELETE", "/payment_methods/{id}", FEATURE, true, false, PaymentRoutes::remove),
                Route.writeWithOptionalBody("POST", "/invoices/{id}/pay", PAY_FEATURE, PaymentRoutes::pay));
    }

    private static PortalResponse list(ApiCall call) {
        return methods(call.portal().payments().paymentMethods(call.context()));
    }

    /**
     * The session customer's payment methods as {@code GET /payment_methods} lists them (for {@code GET /bootstrap}
     * too).
     *
     * @param call the call (its session)
     * @return the JSON array
     * @throws dev.billingportal.core.PortalException as {@link PaymentService#paymentMethods}
     */
    public static ArrayNode listJson(ApiCall call) {
        return methodsJson(call.portal().payments().paymentMethods(call.context()));
    }

    private static PortalResponse setup(ApiCall call) {
        noFields(call);
        SetupSession setup = call.portal().payments().startSetup(call.context());
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("redirect_url", setup.redirectUrl().toString());
        return Http.json(200, Http.wrap("setup", node));
    }

    private static PortalResponse makeDefault(ApiCall call) {
        noFields(call);
        return methods(call.portal().payments().setDefault(call.context(), call.id()));
    }

    private static PortalResponse remove(ApiCall call) {
        call.portal().payments().remove(call.context(), call.id());
        return Http.withJsonHeaders(new PortalResponse.Builder(204)).build();
    }

    private static PortalResponse pay(ApiCall call) {
        noFields(call);
        List<String> keys = call.request().headers("Idempotency-Key");
        String key = keys.isEmpty() ? null : keys.get(0);
        InvoicePayment payment = call.portal().payments().payInvoice(call.context(), call.id(), key);
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("status", payment.status().jsonName());
        if (payment.redirectUrl() != null) {
            node.put("redirect_url", payment.redirectUrl().toString());
        }
        return Http.json(200, Http.wrap("payment", node));
    }

    /**
     * The list answer, also of {@code POST .../default}.
     */
    private static PortalResponse methods(List<PaymentMethod> methods) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set("payment_methods", methodsJson(methods));
        return Http.json(200, root);
    }

    private static ArrayNode methodsJson(List<PaymentMethod> methods) {
        ArrayNode list = ApiJson.MAPPER.createArrayNode();
        for (PaymentMethod m : methods) {
            ObjectNode node = list.addObject();
            node.put("id", m.id());
            node.put("type", m.type().jsonName());
            node.put("brand", m.brand());
            node.put("last4", m.last4());
            node.put("exp_month", m.expMonth());
            node.put("exp_year", m.expYear());
            node.put("default", m.isDefault());
        }
        return list;
    }

    /** These bodies take no fields; an unknown one is named (a name that looks like card data never is). */
    private static void noFields(ApiCall call) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (Iterator<String> it = call.body().fieldNames(); it.hasNext(); ) {
            String name = it.next();
            problems.put(name.length() > 64 || CardData.looksLikeCardData(name) ? "body" : name,
                    List.of("unknown field"));
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
    }
}
