package dev.billingportal.core.api;

import dev.billingportal.core.ClientInfo;
import dev.billingportal.core.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as {@link PortalApi} reads it, independent of any web stack: copy these few things out of
 * your Servlet request, Spring exchange or {@code HttpExchange}.
 *
 * <p>The client address goes into audit events only. Fill it from your stack: the socket's remote address
 * ({@code HttpServletRequest.getRemoteAddr()}, {@code HttpExchange.getRemoteAddress()}), or a forwarded address
 * ({@code X-Forwarded-For}, {@code Forwarded}) only when a proxy you trust sets that header and strips any the
 * client sent: the library never reads forwarding headers, because only the host knows which of them to trust.
 *
 * @param method   the HTTP method, e.g. {@code GET}
 * @param rawPath  the path as sent, still percent-encoded, without query, e.g. {@code /portal/api/invoices/inv%2F1}
 * @param rawQuery the query as sent, still percent-encoded, without {@code ?}; null or empty for none
 * @param headers  the headers; names are matched case-insensitively
 * @param body     the body bytes (empty for none)
 * @param clientAddress the client's address as the host decided it (see above), or null when unknown
 */
public record PortalRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            byte[] body, String clientAddress) {

    /** Validates and copies; header names become case-insensitive. */
    public PortalRequest {
        Checks.required(method, "method");
        Checks.required(rawPath, "path");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (name != null && values != null) {
                    copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
                }
            });
        }
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * A request whose client address is unknown.
     *
     * @param method   the HTTP method
     * @param rawPath  the path as sent
     * @param rawQuery the query as sent, or null
     * @param headers  the headers
     * @param body     the body bytes, or null
     */
    public PortalRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this(method, rawPath, rawQuery, headers, body, null);
    }

    /** A request with no body. */
    public static PortalRequest of(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        return new PortalRequest(method, rawPath, rawQuery, headers, null, null);
    }

    /** A copy with the client's address, as the host decided it. */
    public PortalRequest withClientAddress(String clientAddress) {
        return new PortalRequest(method, rawPath, rawQuery, headers, body, clientAddress);
    }

    /** The client's address (as the host passed it) and {@code User-Agent} header, cleaned for the audit trail. */
    public ClientInfo client() {
        return new ClientInfo(clientAddress, header("User-Agent").orElse(null));
    }

    /** A GET request of a path that may carry a query ({@code /portal/api/invoices?limit=5}), for tests and tools. */
    public static PortalRequest get(String pathAndQuery, Map<String, List<String>> headers) {
        int q = pathAndQuery.indexOf('?');
        return of("GET", q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1), headers);
    }

    /** Every value of a header. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The body bytes (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Method and path; never headers, which carry credentials. */
    @Override
    public String toString() {
        return "PortalRequest[" + method + " " + rawPath + "]";
    }
}
