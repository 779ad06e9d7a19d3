package dev.billingportal.core.api;

import dev.billingportal.core.internal.Checks;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP response from {@link PortalApi}: copy the status and headers to your web stack's response, then
 * call {@code body().writeTo(out)}.
 *
 * @param status  the HTTP status
 * @param headers the headers (names case-insensitive)
 * @param body    the body
 */
public record PortalResponse(int status, Map<String, List<String>> headers, ResponseBody body) {

    /**
     * Validates and copies; the headers of another response are taken as they are (they are already an immutable,
     * case-insensitive copy, and the portal answers most requests with one of a few fixed sets).
     */
    public PortalResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        if (!(headers instanceof FrozenHeaders)) {
            Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (headers != null) {
                headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            }
            headers = new FrozenHeaders(Collections.unmodifiableMap(copy));
        }
        body = Checks.required(body, "body");
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text, read into memory; for tests and logs of small JSON bodies. */
    public String bodyAsString() {
        return new String(body.toByteArray(), StandardCharsets.UTF_8);
    }

    /** The headers' copy: immutable, names case-insensitive; recognised so that it is never copied again. */
    private static final class FrozenHeaders extends AbstractMap<String, List<String>> {
        private final Map<String, List<String>> map;

        FrozenHeaders(Map<String, List<String>> map) {
            this.map = map;
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet() {
            return map.entrySet();
        }

        @Override
        public List<String> get(Object name) {
            return map.get(name);
        }

        @Override
        public boolean containsKey(Object name) {
            return map.containsKey(name);
        }

        @Override
        public List<String> getOrDefault(Object name, List<String> fallback) {
            return map.getOrDefault(name, fallback);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<String> keySet() {
            return map.keySet();
        }

        @Override
        public void forEach(java.util.function.BiConsumer<? super String, ? super List<String>> action) {
            map.forEach(action);
        }
    }

    /** Builds responses with ordered headers. */
    public static final class Builder {
        private final int status;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private ResponseBody body = ResponseBody.EMPTY;

        /** A response of this status, without headers or body yet. */
        public Builder(int status) {
            this.status = status;
        }

        /** Adds a header value (headers keep their order). */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /** The body (default none). */
        public Builder body(ResponseBody body) {
            this.body = body;
            return this;
        }

        /** The response. */
        public PortalResponse build() {
            return new PortalResponse(status, headers, body);
        }
    }
}
