package dev.billingportal.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.api.internal.Http;
import dev.billingportal.core.api.internal.IdempotencyGate;
import dev.billingportal.core.api.internal.JsonBody;
import dev.billingportal.core.config.Branding;
import dev.billingportal.core.config.ConfigRoutes;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.QueryString;
import dev.billingportal.core.payments.CardData;
import dev.billingportal.core.invoices.InvoiceRoutes;
import dev.billingportal.core.profile.ProfileRoutes;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.session.SessionRoutes;
import dev.billingportal.core.subscriptions.SubscriptionRoutes;
// usage+wallets (branch usage)
import dev.billingportal.core.usage.UsageRoutes;
import dev.billingportal.core.wallets.WalletRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The portal's HTTP API and its ready-made page, independent of any web stack: hand it a {@link PortalRequest},
 * write back the {@link PortalResponse}. JSON is snake_case; errors have Lago's shape
 * ({@code {"status":404,"error":"Not Found","code":"invoice_not_found"}}, plus {@code error_details} on 422).
 * Every data request authenticates with {@code Authorization: Bearer <portal token>}.
 *
 * <table>
 * <caption>Endpoints (under the base path, default {@value #DEFAULT_BASE_PATH})</caption>
 * <tr><td>{@code POST /session}</td><td>exchanges the link's token (as bearer token) for the session token the
 *     page then uses: {@code 201 {"session":{"token":...,"expires_at":...,"idle_timeout_seconds":...}}} for a
 *     {@linkplain dev.billingportal.core.session.LinkMode#ONE_TIME one-time} link, exactly once ({@code 401
 *     link_already_used} after that); for a reusable link {@code 200} with the link's own token, so a page can
 *     always call it first. See {@link PortalService#exchange}.</td></tr>
 * <tr><td>{@code GET /customer}</td><td>the customer's profile</td></tr>
 * <tr><td>{@code PATCH /customer}</td><td>changes the fields the session's configuration lets the customer edit</td></tr>
 * <tr><td>{@code GET /overview}</td><td>totals per currency</td></tr>
 * <tr><td>{@code GET /invoices?status=&payment_status=&overdue=&issued_from=&issued_to=&search=&limit=&cursor=}</td>
 *     <td>one page, {@code {"invoices":[...],"next_cursor":...}}</td></tr>
 * <tr><td>{@code GET /invoices/{id}}</td><td>one invoice</td></tr>
 * <tr><td>{@code GET /invoices/{id}/download}</td><td>the document, streamed (200) or redirected to (302);
 *     with {@code redirect=false} a redirect comes back as {@code 200 {"download":{"url":...}}}</td></tr>
 * <tr><td>{@code GET /subscriptions}, {@code GET /subscriptions/{id}}, {@code GET /subscriptions/{id}/plans}</td>
 *     <td>the customer's subscriptions (with the {@code actions} this session may take), one, the plans it may
 *     change to</td></tr>
 * <tr><td>{@code POST /subscriptions/{id}/preview}, {@code .../change}, {@code .../cancel}, {@code .../resume}</td>
 *     <td>a signed preview of a plan change, the change at exactly its figures, a cancellation, undoing a scheduled
 *     one; see {@link dev.billingportal.core.subscriptions.SubscriptionService}</td></tr>
 * <tr><td>{@code GET /payment_methods}, {@code POST /payment_methods/setup}, {@code POST /payment_methods/{id}/default},
 *     {@code DELETE /payment_methods/{id}}, {@code POST /invoices/{id}/pay}</td>
 *     <td>the customer's payment methods, adding one on the provider's hosted page, making one the default,
 *     removing one, paying an open invoice; see {@link dev.billingportal.core.payments.PaymentService}</td></tr>
 * <tr><td>{@code GET /usage}, {@code GET /usage/history?subscription_id=&periods=}</td><td>the current period's
 *     usage of each active subscription, past periods' totals; see
 *     {@link dev.billingportal.core.usage.UsageService}</td></tr>
 * <tr><td>{@code GET /wallets}, {@code GET /wallets/{id}/transactions?limit=&cursor=},
 *     {@code POST /wallets/{id}/top_up}</td><td>prepaid wallets, their transactions newest first, a top-up
 *     ({@code 201}); see {@link dev.billingportal.core.wallets.WalletService}</td></tr>
 * <tr><td>{@code GET /config}</td><td>locale, labels, languages, features, branding</td></tr>
 * <tr><td>{@code GET /messages}</td><td>labels only, without a token (the page's error screens): in the language
 *     of {@code locale}, else of {@code Accept-Language}, else English</td></tr>
 * </table>
 *
 * <p>Every endpoint takes an optional {@code locale} (a BCP 47 tag of a supported language, see
 * {@link dev.billingportal.core.i18n.PortalLocales}; anything else is a 422) that overrides the session's language for labels and for the
 * {@code formatted} amounts and dates that accompany every number in the JSON.
 *
 * <p>The page lives at the UI path (default {@value #DEFAULT_UI_PATH}): {@code GET /portal/?token=...} answers
 * {@code index.html} with a strict Content-Security-Policy whose {@code frame-ancestors} are the origins of the
 * token's tenant (its configuration's {@link dev.billingportal.core.config.PortalConfiguration#frameAncestors()}), and {@code /portal/assets/} its script and styles.
 *
 * <p>Any malformed request is a 4xx with a stable {@code code}; {@link #handle} does not throw. Thread-safe.
 */
public final class PortalApi {
    /** Where the API is mounted when no base path is configured. */
    public static final String DEFAULT_BASE_PATH = "/portal/api";
    /** Where the portal page is served when no UI path is configured. */
    public static final String DEFAULT_UI_PATH = "/portal";
    /** The route table: every feature's routes, built once. */
    public static final RouteTable ROUTES = RouteTable.of(List.of(new SessionRoutes(), new ProfileRoutes(),
            new InvoiceRoutes(), new ConfigRoutes(), new SubscriptionRoutes(),
            new dev.billingportal.core.payments.PaymentRoutes(), new UsageRoutes(), new WalletRoutes()));
    /**
     * Every route of the JSON API, as method and path below the base path, e.g. {@code GET /invoices/{id}}, where
     * {@code {id}} is any one non-empty path segment. HEAD is answered wherever GET is. It comes from
     * {@link #ROUTES}, which serves these and nothing else, so a test can check that it covers every endpoint.
     */
    public static final List<String> API_ROUTES = ROUTES.routes();
    /**
     * Every route of the portal page and its assets, as method and path below the UI path ({@code GET} alone is the
     * UI path itself, which redirects to {@code GET /}). HEAD is answered wherever GET is.
     */
    public static final List<String> PAGE_ROUTES = PortalPage.ROUTES;

    private static final Logger LOG = LoggerFactory.getLogger(PortalApi.class);
    private static final ObjectNode NO_BODY = ApiJson.MAPPER.createObjectNode();

    private final PortalService portal;
    private final String basePath;
    private final Branding branding;
    private final String uiPath;
    private final PortalPage page;

    private PortalApi(Builder builder) {
        this.portal = builder.portal;
        this.basePath = builder.basePath;
        this.branding = builder.branding;
        this.uiPath = builder.uiPath;
        this.page = new PortalPage(uiPath, basePath, branding.logoUrl(), portal::frameAncestorsFor);
    }

    /** A builder over {@code portal}. */
    public static Builder builder(PortalService portal) {
        return new Builder(portal);
    }

    /** An API with every default, mounted at {@value #DEFAULT_BASE_PATH}. */
    public static PortalApi of(PortalService portal) {
        return builder(portal).build();
    }

    /** The path the API is mounted at. */
    public String basePath() {
        return basePath;
    }

    /** The path the portal page is served at (links point to it plus {@code /?token=}). */
    public String uiPath() {
        return uiPath;
    }

    /** The portal it serves. */
    public PortalService portal() {
        return portal;
    }

    /** The branding when the session's configuration has none. */
    public Branding branding() {
        return branding;
    }

    /** Answers one request. Never throws for anything the client sent. */
    public PortalResponse handle(PortalRequest request) {
        return Http.guarded(request, LOG, "portal API", this::dispatch, Http::error, Http::internalError);
    }

    /**
     * The pipeline, the same for every route: match (a wrong method is a 405 with {@code Allow} from the table),
     * authenticate unless the route is public, check the feature is on for the session, read the JSON body of a
     * write, apply its {@code Idempotency-Key}, run the handler. Errors are mapped and HEAD bodies stripped by
     * {@link #handle}.
     */
    private PortalResponse dispatch(PortalRequest request) {
        String path = request.rawPath();
        String method = request.method();
        if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
            if (page.owns(path)) {
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    return Http.methodNotAllowed("GET, HEAD");
                }
                PortalResponse response = page.handle(request);
                if (response != null) {
                    return response;
                }
            }
            throw routeNotFound();
        }
        List<String> segments = segments(path.substring(basePath.length()));
        Optional<RouteTable.Match> match = ROUTES.match(method, segments);
        if (match.isEmpty()) {
            List<String> allowed = ROUTES.allowed(segments);
            if (allowed.isEmpty()) {
                throw routeNotFound();
            }
            return Http.methodNotAllowed(String.join(", ", allowed));
        }
        Route route = match.get().route();
        Map<String, List<String>> params = QueryString.parse(request.rawQuery());
        // query values are never stored, logged or echoed; on the payment routes they are refused all the same
        refuseCardData(request, route.feature() != null && (route.feature().equals("payment_methods")
                || route.feature().equals("invoice_payments")) ? params : Map.of());
        PortalContext ctx = route.authenticated() ? portal.authenticate(Http.bearerToken(request), request.client()) : null;
        if (ctx != null && route.feature() != null && !portal.features(ctx).enabled(route.feature())) {
            throw new PortalException(ErrorCode.FORBIDDEN, "feature_disabled",
                    "this portal session may not use " + route.feature());
        }
        // A route without fields ignores what a client sends (the exchange always has): only bodies it reads matter.
        ObjectNode body = route.body() ? JsonBody.read(request, route.emptyBody()) : NO_BODY;
        if (CardData.containsCardData(body)) { // written with JSON escapes
            refuseCardData(request, Map.of("body", List.of("4111111111111111")));
        }
        ApiCall call = new ApiCall(this, request, route, match.get().parameters(), params, ctx, body);
        if (route.write()) {
            // Everything the answer needs is checked before acting: a write must never stand behind a 4xx.
            call.locale();
        }
        if (route.write() && ctx != null) {
            return IdempotencyGate.run(portal, ctx, route, request, () -> route.handler().handle(call));
        }
        return route.handler().handle(call);
    }

    /**
     * No card data through us: a JSON body (or, on a payment route, a query) that holds something like a card number
     * or track data is refused before anything reads, stores or logs it (the value is not echoed). An {@code Idempotency-Key} that
     * looks like one is kept only as its hash, a {@code User-Agent} is redacted ({@code ClientInfo}).
     */
    private static void refuseCardData(PortalRequest request, Map<String, List<String>> params) {
        boolean found = false;
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            found |= CardData.looksLikeCardData(param.getKey())
                    || param.getValue().stream().anyMatch(CardData::looksLikeCardData);
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (!found && body.length > 0 && body.length <= JsonBody.MAX_BYTES) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            found = CardData.looksLikeCardData(text);
        }
        if (found) {
            throw new PortalException(ErrorCode.INVALID_REQUEST, "card_data_refused",
                    "the request holds something like a card number; the portal never takes card data (use the"
                            + " payment provider's page)");
        }
    }

    /** The path's segments below the base path, tolerating one trailing slash. */
    private static List<String> segments(String rest) {
        List<String> segments = new ArrayList<>(List.of(rest.split("/", -1)));
        segments.remove(0); // the empty segment before the first '/'
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        return segments;
    }

    private static PortalException routeNotFound() {
        return new PortalException(ErrorCode.NOT_FOUND, "route_not_found", "no such endpoint");
    }

    /** Configures a {@link PortalApi}. */
    public static final class Builder {
        private final PortalService portal;
        private String basePath = DEFAULT_BASE_PATH;
        private Branding branding = Branding.DEFAULT;
        private String uiPath = DEFAULT_UI_PATH;

        private Builder(PortalService portal) {
            this.portal = Objects.requireNonNull(portal, "portal");
        }

        /** Where the API is mounted (default {@value PortalApi#DEFAULT_BASE_PATH}); starts with '/', no trailing '/'. */
        public Builder basePath(String basePath) {
            this.basePath = Checks.mountPath(basePath, "basePath", "/portal/api");
            return this;
        }

        /** The name, logo and colour the portal page shows (default {@link Branding#DEFAULT}). */
        public Builder branding(Branding branding) {
            this.branding = Objects.requireNonNull(branding, "branding");
            return this;
        }

        /**
         * Where the portal page is served (default {@value PortalApi#DEFAULT_UI_PATH}): the page at
         * {@code uiPath + "/"}, its assets under {@code uiPath + "/assets/"}. Make the service's portal URL point
         * here. Starts with '/', no trailing '/'.
         */
        public Builder uiPath(String uiPath) {
            this.uiPath = Checks.mountPath(uiPath, "uiPath", "/portal");
            return this;
        }

        /**
         * Builds the API.
         *
         * @throws IllegalStateException when the base path and the UI path collide
         */
        public PortalApi build() {
            if (basePath.equals(uiPath) || basePath.equals(uiPath + "/assets") || basePath.startsWith(uiPath + "/assets/")
                    || uiPath.startsWith(basePath + "/")) {
                throw new IllegalStateException("basePath " + basePath + " and uiPath " + uiPath
                        + " collide: the API may live under the UI path, but not at it, under its assets, or above it");
            }
            return new PortalApi(this);
        }
    }
}
