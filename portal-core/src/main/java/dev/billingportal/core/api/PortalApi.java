package dev.billingportal.core.api;

import dev.billingportal.core.config.Branding;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.invoices.InvoiceDocument;
import dev.billingportal.core.invoices.InvoiceQuery;
import dev.billingportal.core.session.LinkMode;
import dev.billingportal.core.Page;
import dev.billingportal.core.session.PortalContext;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.PortalService;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.PaymentStatus;
import dev.billingportal.core.session.PortalSession;
import dev.billingportal.core.i18n.PortalLocales;
import dev.billingportal.core.i18n.PortalMessages;
import dev.billingportal.core.internal.ApiJson;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.internal.QueryString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
 * <tr><td>{@code GET /overview}</td><td>totals per currency</td></tr>
 * <tr><td>{@code GET /invoices?status=&payment_status=&overdue=&issued_from=&issued_to=&search=&limit=&cursor=}</td>
 *     <td>one page, {@code {"invoices":[...],"next_cursor":...}}</td></tr>
 * <tr><td>{@code GET /invoices/{id}}</td><td>one invoice</td></tr>
 * <tr><td>{@code GET /invoices/{id}/download}</td><td>the document, streamed (200) or redirected to (302);
 *     with {@code redirect=false} a redirect comes back as {@code 200 {"download":{"url":...}}}</td></tr>
 * <tr><td>{@code GET /config}</td><td>locale, labels, languages, features, branding</td></tr>
 * <tr><td>{@code GET /messages}</td><td>labels only, without a token (the page's error screens): in the language
 *     of {@code locale}, else of {@code Accept-Language}, else English</td></tr>
 * </table>
 *
 * <p>Every endpoint takes an optional {@code locale} (a BCP 47 tag of a supported language, see
 * {@link PortalLocales}; anything else is a 422) that overrides the session's language for labels and for the
 * {@code formatted} amounts and dates that accompany every number in the JSON.
 *
 * <p>The page lives at the UI path (default {@value #DEFAULT_UI_PATH}): {@code GET /portal/?token=...} answers
 * {@code index.html} with a strict Content-Security-Policy whose {@code frame-ancestors} are the origins of the
 * token's tenant ({@link dev.billingportal.core.config.TenantSettings}), and {@code /portal/assets/} its script and styles.
 *
 * <p>Any malformed request is a 4xx with a stable {@code code}; {@link #handle} does not throw. Thread-safe.
 */
public final class PortalApi {
    /** Where the API is mounted when no base path is configured. */
    public static final String DEFAULT_BASE_PATH = "/portal/api";
    /** Where the portal page is served when no UI path is configured. */
    public static final String DEFAULT_UI_PATH = "/portal";
    /**
     * Every route of the JSON API, as method and path below the base path, e.g. {@code GET /invoices/{id}}, where
     * {@code {id}} is any one non-empty path segment. HEAD is answered wherever GET is. The router serves these
     * and nothing else, so a test can check that it covers every endpoint.
     */
    public static final List<String> API_ROUTES = java.util.Arrays.stream(Endpoint.values())
            .map(endpoint -> endpoint.route).toList();
    /**
     * Every route of the portal page and its assets, as method and path below the UI path ({@code GET} alone is the
     * UI path itself, which redirects to {@code GET /}). HEAD is answered wherever GET is.
     */
    public static final List<String> PAGE_ROUTES = PortalPage.ROUTES;

    private static final Logger LOG = LoggerFactory.getLogger(PortalApi.class);
    private static final String SUPPORTED_TAGS = PortalLocales.SUPPORTED.stream().map(Locale::toLanguageTag)
            .collect(Collectors.joining(", "));
    // JSON is UTF-8 by definition (RFC 8259); Lago answers plain application/json too.
    private static final String JSON = "application/json";
    private static final Set<String> SINGLE_VALUED = Set.of("overdue", "issued_from", "issued_to", "search", "limit", "cursor", "locale");

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

    /** Answers one request. Never throws for anything the client sent. */
    public PortalResponse handle(PortalRequest request) {
        Objects.requireNonNull(request, "request");
        PortalResponse response;
        try {
            response = route(request);
        } catch (PortalException e) {
            response = error(e);
        } catch (RuntimeException e) {
            // A bug or a broken adapter: log it (request line only, never headers) and keep the shape.
            LOG.error("portal API failed on {} {}", request.method(), request.rawPath(), e);
            response = json(500, ApiJson.error(500, "Internal Server Error", "internal_error", null));
        }
        return withoutBodyForHead(request, response);
    }

    /**
     * A response to HEAD never has a body, errors included: a web stack that wrote one anyway would leave bytes on a
     * kept-alive connection that the client then reads as the start of the next response.
     */
    static PortalResponse withoutBodyForHead(PortalRequest request, PortalResponse response) {
        return "HEAD".equals(request.method()) && response.body().length() != 0
                ? new PortalResponse(response.status(), response.headers(), ResponseBody.EMPTY)
                : response;
    }

    private PortalResponse route(PortalRequest request) {
        String path = request.rawPath();
        if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
            if (page.owns(path)) {
                if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
                    return methodNotAllowed();
                }
                PortalResponse response = page.handle(request);
                if (response != null) {
                    return response;
                }
            }
            throw new PortalException(ErrorCode.NOT_FOUND, "route_not_found", "no such endpoint");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : path.substring(basePath.length()).split("/", -1)) {
            segments.add(raw);
        }
        segments.remove(0); // the empty segment before the first '/'
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1); // tolerate one trailing slash
        }
        Endpoint endpoint = match(segments);
        if (endpoint == null) {
            throw new PortalException(ErrorCode.NOT_FOUND, "route_not_found", "no such endpoint");
        }
        String method = request.method();
        if (endpoint == Endpoint.SESSION) {
            return "POST".equals(method) ? exchange(request) : methodNotAllowed("POST");
        }
        boolean head = "HEAD".equals(method);
        if (!"GET".equals(method) && !head) {
            return methodNotAllowed("GET, HEAD");
        }
        Map<String, List<String>> params = QueryString.parse(request.rawQuery());
        if (endpoint == Endpoint.MESSAGES) {
            // The only endpoint without a token: labels are public, and the error screen of a dead link needs them.
            Locale locale = requestedLocale(params).orElseGet(() -> acceptedLocale(request));
            PortalResponse response = json(200, wrap("messages", messages(locale)));
            return head ? new PortalResponse(response.status(), response.headers(), ResponseBody.EMPTY) : response;
        }
        PortalContext ctx = portal.authenticate(bearerToken(request), request.client());
        Locale locale = endpoint == Endpoint.INVOICES || endpoint == Endpoint.DOWNLOAD
                ? ctx.locale() // validated with the other parameters of these endpoints
                : requestedLocale(params).orElse(ctx.locale());
        PortalResponse response = switch (endpoint) {
            case CUSTOMER -> json(200, wrap("customer", ApiJson.customer(ctx.customer(), locale)));
            case OVERVIEW -> json(200, wrap("overview", ApiJson.overview(portal.overview(ctx), locale)));
            case CONFIG -> json(200, wrap("config", config(ctx, locale)));
            case INVOICES -> invoices(ctx, params);
            case INVOICE -> {
                Invoice invoice = portal.invoice(ctx, QueryString.decodePathSegment(segments.get(1)));
                yield json(200, wrap("invoice", invoiceJson(ctx, invoice, locale)));
            }
            case DOWNLOAD -> {
                boolean redirect = redirectAllowed(params); // a bad parameter is a 422 before any lookup
                yield download(portal.downloadInvoice(ctx, QueryString.decodePathSegment(segments.get(1))), redirect, head);
            }
            case MESSAGES, SESSION -> throw new IllegalStateException("answered above");
        };
        return head ? new PortalResponse(response.status(), response.headers(), ResponseBody.EMPTY) : response;
    }

    /**
     * The endpoints, each with its route: the router matches requests against these routes and nothing else, so
     * {@link #API_ROUTES} lists every endpoint there is.
     */
    private enum Endpoint {
        CUSTOMER("GET /customer"),
        OVERVIEW("GET /overview"),
        CONFIG("GET /config"),
        INVOICES("GET /invoices"),
        INVOICE("GET /invoices/{id}"),
        DOWNLOAD("GET /invoices/{id}/download"),
        MESSAGES("GET /messages"),
        SESSION("POST /session");

        final String route;
        /** The path's segments; {@code {id}} stands for any one non-empty segment. */
        final List<String> segments;

        Endpoint(String route) {
            this.route = route;
            this.segments = List.of(route.substring(route.indexOf(' ') + 2).split("/"));
        }

        boolean matches(List<String> path) {
            if (path.size() != segments.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                String expected = segments.get(i);
                if (expected.equals("{id}") ? path.get(i).isEmpty() : !expected.equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * {@code POST /session}: the link's token for the session's. The token travels in the body of a POST answered
     * with {@code no-store}, never in a URL; the page keeps it in memory.
     */
    private PortalResponse exchange(PortalRequest request) {
        requestedLocale(QueryString.parse(request.rawQuery())); // the one parameter every endpoint takes
        PortalSession session = portal.exchange(bearerToken(request), request.client());
        boolean oneTime = portal.linkMode() == LinkMode.ONE_TIME;
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ObjectNode node = body.putObject("session");
        node.put("token", session.token());
        node.put("expires_at", session.expiresAt().toString());
        if (oneTime) {
            node.put("idle_timeout_seconds", portal.exchangedSessionTtl().toSeconds());
        } else {
            node.putNull("idle_timeout_seconds");
        }
        return json(oneTime ? 201 : 200, body);
    }

    private static PortalResponse methodNotAllowed() {
        return methodNotAllowed("GET, HEAD");
    }

    private static PortalResponse methodNotAllowed(String allow) {
        return new PortalResponse.Builder(405).header("Allow", allow).header("Content-Type", JSON)
                .header("Cache-Control", "no-store")
                .body(ResponseBody.of(ApiJson.bytes(ApiJson.error(405, "Method Not Allowed", "method_not_allowed", null))))
                .build();
    }

    /**
     * The {@code locale} parameter: empty when absent; a 422 naming the supported languages when it is given more
     * than once, is not a well-formed BCP 47 tag, or names a language the portal does not speak. A supported tag
     * keeps its region ({@code fr-CH} formats the Swiss way, with French labels).
     */
    private static Optional<Locale> requestedLocale(Map<String, List<String>> params) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Optional<Locale> locale = requestedLocale(params, problems);
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        return locale;
    }

    private static Optional<Locale> requestedLocale(Map<String, List<String>> params, Map<String, List<String>> problems) {
        List<String> values = params.getOrDefault("locale", List.of());
        if (values.isEmpty() || (values.size() == 1 && values.get(0).isEmpty())) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            problems.put("locale", List.of("must be given once"));
            return Optional.empty();
        }
        String tag = values.get(0);
        Locale locale;
        try {
            locale = tag.length() > 35 ? null : new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            locale = null;
        }
        if (locale == null || locale.getLanguage().isEmpty()) {
            problems.put("locale", List.of("must be a language tag such as fr or pt-BR"));
            return Optional.empty();
        }
        if (PortalLocales.match(locale).isEmpty()) {
            problems.put("locale", List.of("unsupported language; supported: " + SUPPORTED_TAGS));
            return Optional.empty();
        }
        return Optional.of(locale);
    }

    /** The best supported language of the request's {@code Accept-Language}, else English. */
    private static Locale acceptedLocale(PortalRequest request) {
        String header = request.header("Accept-Language").orElse("");
        if (header.isBlank() || header.length() > 500) {
            return Locale.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                Optional<Locale> match = PortalLocales.match(range.getRange());
                if (match.isPresent() && range.getWeight() > 0) {
                    return match.get();
                }
            }
        } catch (IllegalArgumentException e) {
            // a malformed header reads as no preference
        }
        return Locale.ENGLISH;
    }

    /** {@code redirect=false}: answer a redirect document as JSON (the page's fetch cannot follow it with its token). */
    private static boolean redirectAllowed(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("redirect", List.of());
        Map<String, List<String>> problems = new LinkedHashMap<>();
        requestedLocale(params, problems);
        if (values.size() > 1 || (values.size() == 1 && !values.get(0).equals("true") && !values.get(0).equals("false"))) {
            problems.put("redirect", List.of("must be true or false, once"));
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        return values.isEmpty() || values.get(0).equals("true");
    }

    private static Endpoint match(List<String> segments) {
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.matches(segments)) {
                return endpoint;
            }
        }
        return null;
    }

    private PortalResponse invoices(PortalContext ctx, Map<String, List<String>> params) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Locale locale = requestedLocale(params, problems).orElse(ctx.locale());
        InvoiceQuery.Builder query = InvoiceQuery.builder();
        for (String name : SINGLE_VALUED) {
            if (params.getOrDefault(name, List.of()).size() > 1) {
                problems.put(name, List.of("must be given once"));
            }
        }
        query.statuses(enumValues(params, "status", InvoiceStatus.class, problems));
        query.paymentStatuses(enumValues(params, "payment_status", PaymentStatus.class, problems));
        String overdue = first(params, "overdue");
        if (overdue != null) {
            switch (overdue) {
                case "true" -> query.overdueOnly(true);
                case "false", "" -> query.overdueOnly(false);
                default -> problems.put("overdue", List.of("must be true or false"));
            }
        }
        query.issuedFrom(date(params, "issued_from", problems));
        query.issuedTo(date(params, "issued_to", problems));
        query.search(first(params, "search"));
        String limit = first(params, "limit");
        if (limit != null && !limit.isEmpty()) {
            try {
                query.limit(Integer.parseInt(limit));
            } catch (NumberFormatException e) {
                problems.put("limit", List.of("must be an integer between " + InvoiceQuery.MIN_LIMIT + " and " + InvoiceQuery.MAX_LIMIT));
            }
        }
        query.after(first(params, "cursor"));
        InvoiceQuery built;
        try {
            built = query.build();
        } catch (PortalException e) {
            e.details().forEach(problems::putIfAbsent);
            throw PortalException.invalid(problems);
        }
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        Page<Invoice> page = portal.invoices(ctx, built);
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("invoices");
        for (Invoice invoice : page.items()) {
            items.add(invoiceJson(ctx, invoice, locale));
        }
        body.put("next_cursor", page.nextCursor());
        return json(200, body);
    }

    private ObjectNode invoiceJson(PortalContext ctx, Invoice invoice, Locale locale) {
        String download = portal.documentsEnabled()
                ? basePath + "/invoices/" + URLEncoder.encode(invoice.id(), StandardCharsets.UTF_8).replace("+", "%20") + "/download"
                : null;
        return ApiJson.invoice(invoice, portal.today(ctx.customer()), download, locale);
    }

    private static ObjectNode messages(Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("locale", locale.toLanguageTag());
        node.put("language", PortalMessages.language(locale).toLanguageTag());
        ObjectNode languages = node.putObject("languages");
        PortalMessages.languageNames().forEach(languages::put);
        ObjectNode labels = node.putObject("labels");
        PortalMessages.labels(locale).forEach(labels::put);
        return node;
    }

    private ObjectNode config(PortalContext ctx, Locale locale) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("locale", locale.toLanguageTag());
        node.put("language", PortalMessages.language(locale).toLanguageTag());
        ObjectNode languages = node.putObject("languages");
        PortalMessages.languageNames().forEach(languages::put);
        node.put("return_url", ctx.returnUrl() == null ? null : ctx.returnUrl().toString());
        node.put("expires_at", ctx.expiresAt().toString());
        node.put("flow", ctx.flow());
        ObjectNode features = node.putObject("features");
        features.put("invoices", true);
        features.put("invoice_download", portal.documentsEnabled());
        ObjectNode brandingNode = node.putObject("branding");
        brandingNode.put("name", branding.name());
        brandingNode.put("logo_url", branding.logoUrl() == null ? null : branding.logoUrl().toString());
        brandingNode.put("accent_color", branding.accentColor());
        ObjectNode labels = node.putObject("labels");
        PortalMessages.labels(locale).forEach(labels::put);
        return node;
    }

    private static PortalResponse download(InvoiceDocument document, boolean redirectAllowed, boolean head) {
        if (document instanceof InvoiceDocument.Redirect redirect && !redirectAllowed) {
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.putObject("download").put("url", redirect.location().toString());
            return json(200, body);
        }
        if (document instanceof InvoiceDocument.Redirect redirect) {
            return new PortalResponse.Builder(302).header("Location", redirect.location().toString())
                    .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
        }
        InvoiceDocument.Stream stream = (InvoiceDocument.Stream) document;
        ResponseBody body = head ? ResponseBody.EMPTY : new ResponseBody() {
            @Override
            public long length() {
                return stream.contentLength();
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                try (InputStream in = stream.content().open()) {
                    in.transferTo(out);
                }
            }
        };
        return new PortalResponse.Builder(200)
                .header("Content-Type", stream.contentType())
                .header("Content-Disposition", contentDisposition(stream.fileName()))
                .header("Cache-Control", "private, no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(body).build();
    }

    /** {@code attachment} with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
    static String contentDisposition(String fileName) {
        StringBuilder ascii = new StringBuilder();
        for (char c : fileName.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String bearerToken(PortalRequest request) {
        List<String> values = request.headers("Authorization");
        if (values.isEmpty()) {
            throw new PortalException(ErrorCode.UNAUTHORIZED, "missing_authorization",
                    "send the portal token as Authorization: Bearer <token>");
        }
        String value = values.get(0);
        if (values.size() > 1 || value == null || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)
                || value.substring(7).isBlank()) {
            throw new PortalException(ErrorCode.UNAUTHORIZED, "invalid_authorization",
                    "the Authorization header must be exactly: Bearer <token>");
        }
        return value.substring(7).strip();
    }

    private static <E extends Enum<E>> Set<E> enumValues(Map<String, List<String>> params, String name, Class<E> type,
                                                         Map<String, List<String>> problems) {
        Set<E> values = EnumSet.noneOf(type);
        for (String raw : params.getOrDefault(name, List.of())) {
            for (String part : raw.split(",", -1)) {
                String value = part.strip();
                if (value.isEmpty()) {
                    continue;
                }
                try {
                    values.add(Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.computeIfAbsent(name, n -> new ArrayList<>()).add("unknown value: " + truncate(value));
                }
            }
        }
        return values;
    }

    private static LocalDate date(Map<String, List<String>> params, String name, Map<String, List<String>> problems) {
        String value = first(params, name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.put(name, List.of("must be a date as YYYY-MM-DD"));
            return null;
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String truncate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static ObjectNode wrap(String name, ObjectNode node) {
        ObjectNode root = ApiJson.MAPPER.createObjectNode();
        root.set(name, node);
        return root;
    }

    private static PortalResponse error(PortalException e) {
        PortalResponse.Builder builder = new PortalResponse.Builder(e.code().httpStatus());
        if (e.code() == ErrorCode.UNAUTHORIZED || e.code() == ErrorCode.TOKEN_EXPIRED) {
            builder.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        return withJsonHeaders(builder).body(ResponseBody.of(ApiJson.bytes(ApiJson.error(e)))).build();
    }

    private static PortalResponse json(int status, ObjectNode body) {
        return withJsonHeaders(new PortalResponse.Builder(status)).body(ResponseBody.of(ApiJson.bytes(body))).build();
    }

    private static PortalResponse.Builder withJsonHeaders(PortalResponse.Builder builder) {
        return builder.header("Content-Type", JSON)
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
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
