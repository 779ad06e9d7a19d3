package dev.billingportal.core.subscriptions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.api.ApiCall;
import dev.billingportal.core.api.PortalResponse;
import dev.billingportal.core.api.Route;
import dev.billingportal.core.api.RouteContributor;
import dev.billingportal.core.api.internal.BodyFields;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.config.CancellationReason;
import dev.billingportal.core.config.SubscriptionSettings;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The subscription routes: {@code GET /subscriptions}, {@code GET /subscriptions/{id}}, {@code GET
 * /subscriptions/{id}/plans}, {@code POST /subscriptions/{id}/preview {"plan_code"}}, {@code POST
 * /subscriptions/{id}/change {"plan_code","preview_id"}}, {@code POST /subscriptions/{id}/cancel
 * {"reason","comment"}} and {@code POST /subscriptions/{id}/resume {}}. See {@link SubscriptionService}.
 */
public final class SubscriptionRoutes implements RouteContributor {
    private static final String FEATURE = "subscriptions";

    /** The routes, for {@code PortalApi}'s table. */
    public SubscriptionRoutes() {
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/subscriptions", FEATURE, SubscriptionRoutes::list),
                Route.get("/subscriptions/{id}", FEATURE, SubscriptionRoutes::one),
                Route.get("/subscriptions/{id}/plans", FEATURE, SubscriptionRoutes::plans),
                Route.write("POST", "/subscriptions/{id}/preview", FEATURE, SubscriptionRoutes::preview),
                Route.write("POST", "/subscriptions/{id}/change", FEATURE, SubscriptionRoutes::change),
                Route.writeWithOptionalBody("POST", "/subscriptions/{id}/cancel", FEATURE, SubscriptionRoutes::cancel),
                Route.writeWithOptionalBody("POST", "/subscriptions/{id}/resume", FEATURE, SubscriptionRoutes::resume));
    }

    private static PortalResponse list(ApiCall call) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set("subscriptions", listJson(call, call.locale()));
        return Http.json(200, root);
    }

    /**
     * The session customer's subscriptions as {@code GET /subscriptions} lists them (for {@code GET /bootstrap} too).
     *
     * @param call   the call (its session)
     * @param locale the language of the formatted values
     * @return the JSON array
     * @throws dev.billingportal.core.PortalException as {@link SubscriptionService#subscriptions}
     */
    public static ArrayNode listJson(ApiCall call, Locale locale) {
        ArrayNode list = ApiJson.MAPPER.createArrayNode();
        for (Subscription s : call.portal().subscriptions().subscriptions(call.context())) {
            list.add(json(call, s, locale));
        }
        return list;
    }

    private static PortalResponse one(ApiCall call) {
        Locale locale = call.locale();
        return answer(call, call.portal().subscriptions().subscription(call.context(), id(call)), locale);
    }

    private static PortalResponse plans(ApiCall call) {
        Locale locale = call.locale();
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("plans");
        call.portal().subscriptions().plans(call.context(), id(call))
                .forEach(plan -> list.add(SubscriptionJson.offered(plan, locale)));
        return Http.json(200, root);
    }

    private static PortalResponse preview(ApiCall call) {
        Locale locale = call.locale();
        BodyFields body = BodyFields.of(call.body(), Set.of("plan_code"));
        String plan = required(body, "plan_code", Checks.MAX_ID_LENGTH);
        body.done();
        SignedPreview preview = call.portal().subscriptions().preview(call.context(), id(call), plan);
        return Http.json(200, Http.wrap("preview",
                SubscriptionJson.preview(preview, call.context().customer().timezone(), locale)));
    }

    private static PortalResponse change(ApiCall call) {
        Locale locale = call.locale();
        BodyFields body = BodyFields.of(call.body(), Set.of("plan_code", "preview_id"));
        String plan = required(body, "plan_code", Checks.MAX_ID_LENGTH);
        String previewId = required(body, "preview_id", PreviewId.MAX_LENGTH);
        body.done();
        return answer(call, call.portal().subscriptions().change(call.context(), id(call), plan, previewId), locale);
    }

    private static PortalResponse cancel(ApiCall call) {
        Locale locale = call.locale();
        BodyFields body = BodyFields.of(call.body(), Set.of("reason", "comment"));
        String reasonName = body.string("reason", 64);
        String comment = body.string("comment", SubscriptionSettings.MAX_COMMENT_LENGTH);
        CancellationReason reason = null;
        if (reasonName != null && !reasonName.isEmpty()) {
            reason = CancellationReason.ofJsonName(reasonName).orElse(null);
            if (reason == null) {
                body.problem("reason", "not_offered");
            }
        }
        body.done();
        return answer(call, call.portal().subscriptions().cancel(call.context(), id(call), reason, comment), locale);
    }

    private static PortalResponse resume(ApiCall call) {
        Locale locale = call.locale();
        BodyFields.of(call.body(), Set.of()).done();
        return answer(call, call.portal().subscriptions().resume(call.context(), id(call)), locale);
    }

    private static String required(BodyFields body, String name, int maxLength) {
        String value = body.string(name, maxLength);
        if (value == null && !body.has(name)) {
            body.problem(name, "required");
        } else if (value != null && value.isEmpty()) {
            body.problem(name, "required");
            return null;
        }
        return value;
    }

    private static String id(ApiCall call) {
        return call.id();
    }

    private static PortalResponse answer(ApiCall call, Subscription s, Locale locale) {
        return Http.json(200, Http.wrap("subscription", json(call, s, locale)));
    }

    private static ObjectNode json(ApiCall call, Subscription s, Locale locale) {
        return SubscriptionJson.subscription(s, call.portal().subscriptions().actions(call.context(), s),
                call.context().customer().timezone(), locale);
    }
}
