package dev.billingportal.core.subscriptions;

import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.PortalException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed id of a preview: expiry, subscription, plan, timing, the preview's fingerprint and the figures the
 * audit trail and the event record (amount due now, currency, effective instant), under an HMAC-SHA256 keyed, as
 * {@code CursorCodec} does, by the session id and bound to the customer scope. A tampered id, or one of another
 * session, customer or tenant, fails the MAC.
 *
 * <p>What protects the customer's money is not the MAC but the fingerprint: the provider applies a change only when
 * its own preview, at that moment, has the fingerprint the customer was shown (see
 * {@link SubscriptionProvider#change}). The session id is not a secret; whoever knows it can mint an id for that
 * session, which gets them nothing a preview of their own would not.
 */
final class PreviewId {
    /** How long a preview may be confirmed. */
    static final java.time.Duration VALIDITY = java.time.Duration.ofMinutes(15);
    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int MAX_LENGTH = 2048;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What an id says. */
    record Claims(Instant expiresAt, String subscriptionId, String planCode, String timing, String fingerprint,
                  long amountDueNowMinor, String currency, Instant effectiveAt) {
    }

    private PreviewId() {
    }

    static String encode(String sessionId, CustomerScope scope, Claims claims) {
        byte[] sub = claims.subscriptionId().getBytes(StandardCharsets.UTF_8);
        byte[] plan = claims.planCode().getBytes(StandardCharsets.UTF_8);
        byte[] timing = claims.timing().getBytes(StandardCharsets.US_ASCII);
        byte[] currency = claims.currency().getBytes(StandardCharsets.US_ASCII);
        byte[] fingerprint = HexFormat.of().parseHex(claims.fingerprint());
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 8 + 32 + 4 * 2 + sub.length + plan.length + timing.length
                + currency.length);
        body.put(VERSION).putLong(claims.expiresAt().getEpochSecond()).putLong(claims.amountDueNowMinor())
                .putLong(claims.effectiveAt().getEpochSecond()).put(fingerprint);
        for (byte[] part : new byte[][] {sub, plan, timing, currency}) {
            body.putShort((short) part.length).put(part);
        }
        byte[] bytes = body.array();
        byte[] mac = mac(sessionId, scope, bytes);
        byte[] id = Arrays.copyOf(bytes, bytes.length + MAC_BYTES);
        System.arraycopy(mac, 0, id, bytes.length, MAC_BYTES);
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
        if (bytes.length < 1 + 24 + 32 + 8 + MAC_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(id)) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(sessionId, scope, body), MAC_BYTES), mac)) {
            throw invalid();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(body, 1, body.length - 1);
            Instant expires = Instant.ofEpochSecond(in.getLong());
            long due = in.getLong();
            Instant effective = Instant.ofEpochSecond(in.getLong());
            byte[] fingerprint = new byte[32];
            in.get(fingerprint);
            String[] parts = new String[4];
            for (int i = 0; i < 4; i++) {
                byte[] part = new byte[in.getShort()];
                in.get(part);
                parts[i] = new String(part, StandardCharsets.UTF_8);
            }
            return new Claims(expires, parts[0], parts[1], parts[2], HexFormat.of().formatHex(fingerprint), due,
                    parts[3], effective);
        } catch (RuntimeException e) { // cannot happen for an id we signed; kept as a guard
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
