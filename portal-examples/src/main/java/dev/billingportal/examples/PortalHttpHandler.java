package dev.billingportal.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.api.PortalResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Wires a transport-neutral API ({@code PortalApi::handle}, {@code LagoCompatibleApi::handle}) into the JDK's
 * {@code HttpServer}: this whole class is the "~20 lines" a host writes for its own web stack.
 */
public final class PortalHttpHandler implements HttpHandler {
    /** Largest request body read; the portal's endpoints take none, so anything bigger is refused. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final Function<PortalRequest, PortalResponse> api;

    /** Serves {@code api}. */
    public PortalHttpHandler(Function<PortalRequest, PortalResponse> api) {
        this.api = api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                send(exchange, 413, "{\"status\":413,\"error\":\"Payload Too Large\",\"code\":\"body_too_large\"}");
                return;
            }
            // The socket's peer: this server sits behind no proxy, so it trusts no X-Forwarded-For a client may send.
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

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().putAll(Map.of("Content-Type", List.of("application/json")));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
