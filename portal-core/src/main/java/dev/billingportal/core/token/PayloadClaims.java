package dev.billingportal.core.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level members of a token's JSON payload, read with a streaming parser instead of a tree: every request
 * verifies a token, and the tree's nodes were most of what reading the claims cost. It judges a payload as
 * {@code ObjectMapper.readTree} did: the whole object is read (nested values too, so malformed JSON or a repeated
 * name anywhere is unreadable), trailing bytes after the object are ignored, a string is a string, and an integer is
 * kept only when it fits a {@code long}. Package-private: not API.
 */
final class PayloadClaims {
    /** A member whose value is neither a string nor an integer that fits a {@code long} (null, object, array, ...). */
    private static final Object OTHER = new Object();

    private final Map<String, Object> members;

    private PayloadClaims(Map<String, Object> members) {
        this.members = members;
    }

    /**
     * Reads {@code json}.
     *
     * @param json   the decoded payload segment
     * @param mapper whose parser features apply (strict duplicate detection)
     * @return the members, or null when the payload is well-formed JSON but not an object (or empty)
     * @throws IOException when it is not well-formed JSON, or repeats a name
     */
    static PayloadClaims read(byte[] json, ObjectMapper mapper) throws IOException {
        try (JsonParser parser = mapper.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first == JsonToken.START_ARRAY) {
                    parser.skipChildren(); // malformed arrays stay unreadable, as they were for the tree
                } else if (first != null) {
                    parser.getText(); // a string is read lazily: an unterminated one is unreadable, too
                }
                return null;
            }
            Map<String, Object> members = new HashMap<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    throw new IOException("unexpected " + token + " in the claims");
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) {
                    throw new IOException("claims end early");
                }
                members.put(name, value(parser, value));
            }
            return new PayloadClaims(members);
        }
    }

    private static Object value(JsonParser parser, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                JsonParser.NumberType type = parser.getNumberType();
                return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
                        ? (Object) parser.getLongValue() : OTHER;
            case START_OBJECT:
            case START_ARRAY:
                parser.skipChildren();
                return OTHER;
            default:
                return OTHER;
        }
    }

    /** Whether the payload has this member, whatever its value (null included). */
    boolean has(String name) {
        return members.containsKey(name);
    }

    /** The member's value when it is a string, else null. */
    String text(String name) {
        return members.get(name) instanceof String text ? text : null;
    }

    /** The member's value when it is an integer that fits a {@code long}, else null. */
    Long integer(String name) {
        return members.get(name) instanceof Long number ? number : null;
    }
}
