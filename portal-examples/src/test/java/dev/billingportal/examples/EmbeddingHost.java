package dev.billingportal.examples;

import com.sun.net.httpserver.HttpServer;
import dev.billingportal.httpserver.PortalHttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the host's own web app: a second origin (another port) whose page frames the portal, as a host
 * embeds it with {@code <iframe src="portal link">}. Two of these are two origins, one allowed and one not. Its page
 * passes every message it receives to {@code window.recordHostMessage(origin, json)} when a test exposes one, and keeps
 * them in its origin's {@code localStorage} under {@code received} (which outlives a navigation to another of its pages).
 */
final class EmbeddingHost implements AutoCloseable {
    private final HttpServer server;

    private EmbeddingHost(HttpServer server) {
        this.server = server;
    }

    static EmbeddingHost start() throws IOException {
        HttpServer server = PortalHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String query = exchange.getRequestURI().getRawQuery();
                String src = query != null && query.startsWith("src=")
                        ? URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : "about:blank";
                String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host app</title></head>"
                        + "<body style=\"margin:0;font-family:sans-serif;background:#eef2ff\">"
                        + "<header style=\"padding:12px 16px;background:#312e81;color:#fff\">Host app &middot; Settings &rsaquo; Billing</header>"
                        // What the host learns from the portal (postMessage), handed to the test when it listens.
                        + "<script>addEventListener('message', function (e) {"
                        + " var kept = JSON.parse(localStorage.getItem('received') || '[]');"
                        + " kept.push({origin: e.origin, data: e.data}); localStorage.setItem('received', JSON.stringify(kept));"
                        + " if (window.recordHostMessage) { window.recordHostMessage(e.origin, JSON.stringify(e.data)); } });</script>"
                        + "<iframe title=\"Billing\" src=\"" + escape(src) + "\" style=\"border:0;width:100%;height:900px;background:#fff\"></iframe>"
                        + "</body></html>";
                byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        return new EmbeddingHost(server);
    }

    /** This host's origin, e.g. {@code http://127.0.0.1:40123}. */
    String origin() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** A page of this host that frames {@code portalUrl}. */
    URI pageFraming(String portalUrl) {
        return URI.create(origin() + "/?src=" + URLEncoder.encode(portalUrl, StandardCharsets.UTF_8));
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
