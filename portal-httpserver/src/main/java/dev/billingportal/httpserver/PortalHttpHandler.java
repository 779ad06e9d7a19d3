package dev.billingportal.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves a transport-neutral API ({@code PortalApi::handle}, {@code LagoCompatibleApi::handle}) on the JDK's
 * {@code HttpServer}: one handler per context.
 *
 * <pre>{@code
 * server.createContext(api.uiPath(), new PortalHttpHandler(api::handle));
 * }</pre>
 *
 * <p>A request body larger than {@link #maxBodyBytes()} is refused with {@code 413} and Lago's error shape
 * ({@code {"status":413,"error":"Payload Too Large","code":"body_too_large"}}) before the API sees it: the portal's
 * endpoints take no body, so this only bounds what a client can make the server buffer. The client address given to
 * the API is the socket's peer; this handler reads no {@code X-Forwarded-For}, since only the host knows which proxy to
 * trust (behind one, wrap the function and set {@link PortalRequest#clientAddress()} yourself).
 *
 * <p>Thread-safe: one instance serves any number of concurrent exchanges.
 */
public final class PortalHttpHandler implements HttpHandler {
    /** Default largest request body read: 64 KB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private static final byte[] BODY_TOO_LARGE =
            "{\"status\":413,\"error\":\"Payload Too Large\",\"code\":\"body_too_large\"}".getBytes(StandardCharsets.UTF_8);

    private final Function<PortalRequest, PortalResponse> api;
    private final int maxBodyBytes;

    /**
     * Serves {@code api}, refusing bodies over {@link #DEFAULT_MAX_BODY_BYTES}.
     *
     * @param api the API, e.g. {@code portalApi::handle}
     * @throws NullPointerException naming {@code api} when it is null
     */
    public PortalHttpHandler(Function<PortalRequest, PortalResponse> api) {
        this(api, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Serves {@code api}, refusing bodies over {@code maxBodyBytes}.
     *
     * @param api          the API, e.g. {@code portalApi::handle}
     * @param maxBodyBytes the largest request body read, 0 (no body at all) or more
     * @throws NullPointerException     naming {@code api} when it is null
     * @throws IllegalArgumentException naming {@code maxBodyBytes} when it is negative or too large to buffer
     */
    public PortalHttpHandler(Function<PortalRequest, PortalResponse> api, int maxBodyBytes) {
        this.api = Objects.requireNonNull(api, "api: the function that answers requests, e.g. portalApi::handle");
        // + 1 is read to tell "exactly the limit" from "over it", so the limit itself must leave room for that.
        if (maxBodyBytes < 0 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be between 0 and " + (Integer.MAX_VALUE - 1)
                    + ", was " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The largest request body this handler reads.
     *
     * @return the limit in bytes
     */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(maxBodyBytes + 1);
            }
            if (body.length > maxBodyBytes) {
                exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
                exchange.sendResponseHeaders(413, BODY_TOO_LARGE.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(BODY_TOO_LARGE);
                }
                return;
            }
            PortalResponse response = api.apply(new PortalRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress()));
            response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            long length = response.body().length();
            boolean noBody = length == 0 || "HEAD".equals(exchange.getRequestMethod());
            // HttpServer's convention: -1 means no body, 0 means "length unknown, stream it chunked".
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : length < 0 ? 0 : length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    response.body().writeTo(out);
                }
            }
        }
    }
}
