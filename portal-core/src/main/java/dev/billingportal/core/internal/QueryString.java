package dev.billingportal.core.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strict percent-decoding of query strings and path segments: malformed input is a 400, never a guess. */
public final class QueryString {
    /** Longest raw query accepted. */
    public static final int MAX_QUERY_LENGTH = 8 * 1024;

    private QueryString() {
    }

    /** Parameters by name, values in order; {@code +} is a space in queries. */
    public static Map<String, List<String>> parse(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        if (rawQuery.length() > MAX_QUERY_LENGTH) {
            throw malformed("invalid_query", "query string longer than " + MAX_QUERY_LENGTH + " characters");
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "invalid_query");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, "invalid_query");
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** One decoded path segment ({@code +} stays a plus). */
    public static String decodePathSegment(String raw) {
        return decode(raw, false, "invalid_path");
    }

    private static String decode(String raw, boolean plusIsSpace, String reason) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw malformed(reason, "incomplete percent escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw malformed(reason, "bad percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed(reason, "percent escapes are not UTF-8");
        }
    }

    private static PortalException malformed(String reason, String message) {
        return new PortalException(ErrorCode.INVALID_REQUEST, reason, message);
    }
}
