package dev.billingportal.servlet;

import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves a transport-neutral handler, such as {@code PortalApi::handle} (the portal page and its API) or
 * {@code LagoCompatibleApi::handle} (the host endpoint for portal links), on any Jakarta Servlet 6 container:
 *
 * <pre>{@code
 * PortalApi api = PortalApi.of(portal);                       // page at /portal/, API at /portal/api/
 * context.addServlet(new PortalServlet(api::handle), "/portal/*");
 * LagoCompatibleApi lago = LagoCompatibleApi.builder(portal).apiKey(apiKey).build();
 * context.addServlet(PortalServlet.builder(lago::handle).trustedProxies("10.0.0.0/8").build(), "/api/v1/*");
 * }</pre>
 *
 * <h2>Paths</h2>
 * The handler sees the request's path below the web application's context path, still percent-encoded
 * ({@code getRequestURI()} without {@code getContextPath()}), so mount the servlet where the handler's paths
 * live: {@code PortalApi}'s UI path (default {@code /portal}) as {@code /portal/*}, with its base path (default
 * {@code /portal/api}) below it; {@code LagoCompatibleApi}'s base path (default {@code /api/v1}) as
 * {@code /api/v1/*}. In an application deployed at context path {@code /billing} the page is then at
 * {@code /billing/portal/}, and that is what the service's portal URL must say. The query goes through raw.
 * Containers refuse some encoded characters in paths (an encoded {@code /} is a 400 on Tomcat and Jetty
 * by default), so ids with a slash cannot be addressed unless the container is told to allow them.
 *
 * <h2>What it adds to the handler</h2>
 * <ul>
 * <li>A body limit (default {@value #DEFAULT_MAX_BODY_BYTES} bytes): a longer body is answered
 *     {@code 413 {"status":413,"error":"Payload Too Large","code":"body_too_large"}} without reading it all
 *     (a declared {@code Content-Length} over the limit is refused before reading a byte).</li>
 * <li>The client's address for the audit trail: the socket's peer, unless {@linkplain Builder#trustedProxies
 *     trusted proxies} are named (see {@link TrustedProxies}).</li>
 * <li>Streaming: the response body is written straight to the servlet's output stream, with a
 *     {@code Content-Length} when its length is known (chunked otherwise). A {@code HEAD} gets the headers
 *     and no body.</li>
 * </ul>
 * Every method goes to the handler (which answers 405 where it must), and nothing the client sent makes it
 * throw. It logs method and path only when the handler fails: never the query (a portal link's query is
 * its token) nor headers. Thread-safe; configure it once, before the container starts it.
 */
public final class PortalServlet extends HttpServlet {
    /** The body limit when none is configured: 64 KiB, far above what any portal endpoint takes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private static final long serialVersionUID = 1L;
    /** At most this much of a body over the limit is read and dropped after the 413, so the client can read it. */
    private static final int DRAIN_BYTES = 1024 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final Logger LOG = LoggerFactory.getLogger(PortalServlet.class);
    private static final byte[] TOO_LARGE =
            "{\"status\":413,\"error\":\"Payload Too Large\",\"code\":\"body_too_large\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INTERNAL_ERROR =
            "{\"status\":500,\"error\":\"Internal Server Error\",\"code\":\"internal_error\"}".getBytes(StandardCharsets.UTF_8);

    // Servlets are Serializable by inheritance; a portal servlet is never serialized (sessions are not used).
    private final transient Function<PortalRequest, PortalResponse> handler;
    private final int maxBodyBytes;
    private final transient TrustedProxies trustedProxies;

    /**
     * Serves {@code handler} with every default: a 64 KiB body limit and no trusted proxy.
     *
     * @param handler the handler, e.g. {@code api::handle}
     */
    public PortalServlet(Function<PortalRequest, PortalResponse> handler) {
        this(builder(handler));
    }

    private PortalServlet(Builder builder) {
        this.handler = builder.handler;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.trustedProxies = builder.trustedProxies;
    }

    /**
     * A builder for a servlet over {@code handler}.
     *
     * @param handler the handler, e.g. {@code api::handle}
     * @return the builder
     */
    public static Builder builder(Function<PortalRequest, PortalResponse> handler) {
        return new Builder(handler);
    }

    /** The largest request body accepted, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The proxies whose {@code X-Forwarded-For} is believed. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Answers every method through the handler. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(request, response, declared);
            return;
        }
        byte[] body = body(request.getInputStream());
        if (body.length > maxBodyBytes) {
            tooLarge(request, response, declared);
            return;
        }
        PortalRequest portalRequest = new PortalRequest(request.getMethod(), path(request), request.getQueryString(),
                headers(request), body, clientAddress(request));
        PortalResponse portalResponse;
        try {
            portalResponse = Objects.requireNonNull(handler.apply(portalRequest), "the handler answered null");
        } catch (RuntimeException e) {
            // A handler that throws (PortalApi never does): the request line without its query, which may hold a token.
            LOG.error("portal handler failed on {} {}", request.getMethod(), portalRequest.rawPath(), e);
            if (!response.isCommitted()) {
                response.reset();
                send(response, 500, INTERNAL_ERROR);
            }
            return;
        }
        write(request, response, portalResponse);
    }

    /**
     * The request body, at most one byte past the limit (a longer body is refused without reading the rest). Most
     * requests are GETs without one: a first {@code read()} tells, before {@code readNBytes} allocates its buffer.
     */
    private byte[] body(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return EMPTY;
        }
        byte[] rest = in.readNBytes(maxBodyBytes);
        byte[] body = new byte[rest.length + 1];
        body[0] = (byte) first;
        System.arraycopy(rest, 0, body, 1, rest.length);
        return body;
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, PortalResponse portalResponse)
            throws IOException {
        response.setStatus(portalResponse.status());
        portalResponse.headers().forEach((name, values) -> {
            for (String value : values) {
                response.addHeader(name, value);
            }
        });
        long length = portalResponse.body().length();
        if ("HEAD".equals(request.getMethod())) {
            // Headers only; the container writes no body for HEAD. PortalApi empties HEAD bodies itself, so their
            // length says nothing about the GET's: no Content-Length rather than a wrong one.
            return;
        }
        int status = portalResponse.status();
        // 204 and 304 have no body by definition, and a Content-Length on a 304 would describe the cached 200
        // (Tomcat and Jetty drop or rewrite it anyway; other containers may not).
        if (length >= 0 && status != 204 && status != 304 && status >= 200) {
            response.setContentLengthLong(length);
        }
        if (length != 0) {
            OutputStream out = response.getOutputStream();
            portalResponse.body().writeTo(out);
            out.flush();
        }
    }

    /** The path below the context path, as sent (the container decodes neither, by the Servlet specification). */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        return uri.isEmpty() ? "/" : uri;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Enumeration<String> names = request.getHeaderNames();
        if (names == null) {
            return headers;
        }
        for (String name : Collections.list(names)) {
            List<String> values = new ArrayList<>();
            Enumeration<String> each = request.getHeaders(name);
            if (each != null) {
                values.addAll(Collections.list(each));
            }
            headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
        }
        return headers;
    }

    private String clientAddress(HttpServletRequest request) {
        String peer = TrustedProxies.withoutBrackets(request.getRemoteAddr()); // Jetty writes IPv6 as [::1], Tomcat as ::1
        if (trustedProxies.isEmpty()) {
            return peer;
        }
        Enumeration<String> forwarded = request.getHeaders("X-Forwarded-For");
        return trustedProxies.clientAddress(peer, forwarded == null ? List.of() : Collections.list(forwarded));
    }

    /**
     * The 413, sent at once; then up to {@value #DRAIN_BYTES} more bytes of the body are read and dropped. A socket
     * closed with unread bytes in its receive buffer is reset, and a reset makes the client discard the 413 it has
     * not read yet: draining a moderate excess lets the client see the answer. A body announced larger than that is
     * not waited for; the container closes the connection.
     */
    private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long declared)
            throws IOException {
        send(response, 413, TOO_LARGE);
        response.flushBuffer();
        if (declared > DRAIN_BYTES) {
            return;
        }
        try {
            byte[] buffer = new byte[8192];
            long left = DRAIN_BYTES;
            int read;
            while (left > 0 && (read = request.getInputStream().read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= read;
            }
        } catch (IOException e) {
            // The client went away: nothing left to protect.
        }
    }

    private static void send(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /** Configures a {@link PortalServlet}. */
    public static final class Builder {
        private final Function<PortalRequest, PortalResponse> handler;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;

        private Builder(Function<PortalRequest, PortalResponse> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * The largest request body accepted (default {@value PortalServlet#DEFAULT_MAX_BODY_BYTES}); anything
         * longer is a 413.
         *
         * @param maxBodyBytes bytes, 0 or more
         * @return this builder
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 0 || maxBodyBytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxBodyBytes must be between 0 and " + (Integer.MAX_VALUE - 1)
                        + ", was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * The proxies in front of the container whose {@code X-Forwarded-For} is believed (default none: the
         * client's address is the socket's peer). Name only proxies that strip or overwrite the header a client
         * sends.
         *
         * @param addressesOrRanges IP addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}
         * @return this builder
         * @throws IllegalArgumentException naming an entry that is not an IP address or CIDR range
         */
        public Builder trustedProxies(String... addressesOrRanges) {
            return trustedProxies(TrustedProxies.of(addressesOrRanges));
        }

        /**
         * The proxies whose {@code X-Forwarded-For} is believed.
         *
         * @param trustedProxies the proxies, or {@link TrustedProxies#NONE}
         * @return this builder
         */
        public Builder trustedProxies(TrustedProxies trustedProxies) {
            this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        /**
         * Builds the servlet.
         *
         * @return the servlet, ready to be registered with a container
         */
        public PortalServlet build() {
            return new PortalServlet(this);
        }
    }
}
