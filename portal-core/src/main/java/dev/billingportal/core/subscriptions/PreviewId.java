package dev.billingportal.core.subscriptions;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingportal.core.config.ChangeTiming;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.ApiJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed id of a preview: its expiry and every figure of the preview itself (compact JSON), under an
 * HMAC-SHA256 keyed, as {@code CursorCodec} does, by the session id and bound to the customer scope. A tampered id, or
 * one of another session, customer or tenant, fails the MAC.
 *
 * <p>What protects the customer's money is not the MAC but the fingerprint: the portal recomputes
 * {@link PlanChangePreview#fingerprint()} from the figures the id carries and the provider applies the change only
 * when its own preview, at that moment, has that fingerprint (see {@link SubscriptionProvider#change}). So the figures
 * the audit trail and the event record are always those the provider charged, even for an id minted by whoever knows
 * the session id (not a secret: it only lets them do what a preview of their own would).
 */
final class PreviewId {
    /** How long a preview may be confirmed. */
    static final java.time.Duration VALIDITY = java.time.Duration.ofMinutes(15);
    /** Longest id accepted (a preview with many lines makes a long id). */
    static final int MAX_LENGTH = 8192;
    private static final byte VERSION = 2;
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What an id says: until when it may be confirmed, and the preview. */
    record Claims(Instant expiresAt, PlanChangePreview preview) {
    }

    private PreviewId() {
    }

    static String encode(String sessionId, CustomerScope scope, Claims claims) {
        PlanChangePreview p = claims.preview();
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("x", claims.expiresAt().getEpochSecond());
        node.put("s", p.subscriptionId());
        node.put("p", p.planCode());
        node.put("t", p.timing().name());
        node.put("e", p.effectiveAt().toString());
        node.put("c", p.currency().getCurrencyCode());
        ArrayNode lines = node.putArray("l");
        for (PreviewLine line : p.lines()) {
            lines.addArray().add(line.description()).add(line.amount().amountMinor());
        }
        node.put("d", p.amountDueNow().amountMinor());
        node.put("n", p.nextInvoiceAt().toString());
        node.put("a", p.nextInvoiceAmount().amountMinor());
        node.put("v", p.subscriptionVersion());
        byte[] json = node.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 1];
        body[0] = VERSION;
        System.arraycopy(json, 0, body, 1, json.length);
        byte[] mac = mac(sessionId, scope, body);
        byte[] id = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, id, body.length, MAC_BYTES);
        return ENCODER.encodeToString(id);
    }

    /**
     * The claims of an id this session made.
     *
     * @throws PortalException {@code VALIDATION_ERROR} on {@code preview_id} for anything else
     */
    static Claims decode(String sessionId, CustomerScope scope, String id) {
        if (id.length() > MAX_LENGTH) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(id);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < 3 + MAC_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(id)) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(sessionId, scope, body), MAC_BYTES), mac)) {
            throw invalid();
        }
        try {
            JsonNode n = ApiJson.MAPPER.readTree(new String(body, 1, body.length - 1, StandardCharsets.UTF_8));
            String currency = n.get("c").asText();
            List<PreviewLine> lines = new ArrayList<>();
            for (JsonNode line : n.get("l")) {
                lines.add(new PreviewLine(line.get(0).asText(), Money.of(line.get(1).longValue(), currency)));
            }
            PlanChangePreview preview = new PlanChangePreview(n.get("s").asText(), n.get("p").asText(),
                    ChangeTiming.valueOf(n.get("t").asText()), Instant.parse(n.get("e").asText()), lines,
                    Money.of(n.get("d").longValue(), currency), Instant.parse(n.get("n").asText()),
                    Money.of(n.get("a").longValue(), currency), n.get("v").longValue());
            return new Claims(Instant.ofEpochSecond(n.get("x").longValue()), preview);
        } catch (java.io.IOException | RuntimeException e) { // cannot happen for an id we signed; kept as a guard
            throw invalid();
        }
    }

    /** The provider's idempotency id of the change confirming this preview id: the same for every retry. */
    static String changeId(String previewId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(previewId.getBytes(StandardCharsets.US_ASCII));
            return "chg_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(String sessionId, CustomerScope scope, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("preview-v1:" + sessionId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(scope.tenantId().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(scope.customerId().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static PortalException invalid() {
        return PortalException.invalid("preview_id", "is not a preview this portal session made");
    }
}
