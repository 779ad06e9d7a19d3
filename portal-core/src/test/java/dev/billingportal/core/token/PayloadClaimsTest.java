package dev.billingportal.core.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming payload reader judges every payload as the tree it replaced did ({@code readTree} with strict
 * duplicate detection): unreadable, not an object, or the same strings and integers under the same names.
 */
class PayloadClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final List<String> NAMES = List.of("iss", "aud", "sub", "tid", "iat", "exp", "loc", "x", "y");

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"iss\":\"a\",\"iat\":1,\"exp\":9223372036854775807}",
        "{\"iat\":9223372036854775808}", "{\"iat\":-1}", "{\"iat\":1.0}", "{\"iat\":1e3}", "{\"iat\":\"1\"}",
        "{\"iat\":2147483648}", "{\"loc\":null}", "{\"x\":{\"y\":1,\"y\":2}}", "{\"x\":[1,{\"a\":1,\"a\":1}]}",
        "{\"x\":1,\"x\":2}", "{\"x\":[1,2}", "{\"x\":{\"y\":\"z\"}} trailing", "{\"x\":1}}", "{\"x\":1",
        "{\"x\"}", "{\"x\":}", "{,}", "{}", "", " ", "null", "[]", "[1,", "\"abc\"", "\"abc", "1", "1 x", "true",
        "{\"iss\":\"\\u0000\\ud800\"}", "{\"sub\":\"caf\\u00e9\",\"aud\":true,\"tid\":false}", "{'iss':'a'}",
        "{\"x\":NaN}", "{\"iat\":01}", "{\"iat\":-0}", "{\"y\":[[[[[[[]]]]]]]}", "{\"y\":\"\\q\"}"})
    void judgesAsTheTreeDid(String payload) {
        assertSameVerdict(payload);
    }

    @Test
    void judgesRandomMutationsOfARealPayloadAsTheTreeDid() {
        String real = "{\"iss\":\"portal\",\"aud\":\"p\",\"sub\":\"cust-1\",\"tid\":\"t\",\"iat\":1700000000,"
                + "\"nbf\":1700000000,\"exp\":1700003600,\"jti\":\"ps_x\",\"loc\":\"de\",\"knd\":\"link\",\"cfg\":[1,{}]}";
        String alphabet = "{}[]\":,0123456789-.eE\\ nultrfa";
        Random random = new Random(20261203L);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder mutated = new StringBuilder(real);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(mutated.length());
                switch (random.nextInt(3)) {
                    case 0 -> mutated.deleteCharAt(at);
                    case 1 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertSameVerdict(mutated.toString());
        }
    }

    @Test
    void keepsMembersByTheirKind() throws IOException {
        PayloadClaims claims = PayloadClaims.read(
                "{\"a\":\"s\",\"b\":7,\"c\":null,\"d\":{\"e\":\"f\"}}".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals("s", claims.text("a"));
        assertNull(claims.integer("a"));
        assertEquals(7L, claims.integer("b"));
        assertNull(claims.text("b"));
        assertTrue(claims.has("c"), "a null member is present");
        assertNull(claims.text("c"));
        assertNull(claims.text("e"), "nested members are not top-level claims");
        assertFalse(claims.has("e"));
    }

    private static void assertSameVerdict(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        String tree = treeVerdict(bytes);
        String streamed;
        try {
            PayloadClaims claims = PayloadClaims.read(bytes, JSON);
            streamed = claims == null ? "not an object" : describe(claims);
        } catch (IOException e) {
            streamed = "unreadable";
        }
        assertEquals(tree, streamed, "verdict on payload " + payload);
    }

    /** The verdict of the code this replaced. */
    private static String treeVerdict(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            return "unreadable";
        }
        if (root == null || !root.isObject()) {
            return "not an object";
        }
        StringBuilder out = new StringBuilder();
        for (String name : NAMES) {
            JsonNode node = root.get(name);
            out.append(name).append('=').append(node != null).append('/')
                    .append(node != null && node.isTextual() ? node.textValue() : null).append('/')
                    .append(node != null && node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null)
                    .append(';');
        }
        return out.toString();
    }

    private static String describe(PayloadClaims claims) {
        StringBuilder out = new StringBuilder();
        for (String name : NAMES) {
            out.append(name).append('=').append(claims.has(name)).append('/').append(claims.text(name)).append('/')
                    .append(claims.integer(name)).append(';');
        }
        return out.toString();
    }
}
