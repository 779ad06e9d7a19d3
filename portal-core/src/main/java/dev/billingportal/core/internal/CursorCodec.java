package dev.billingportal.core.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.invoices.InvoiceKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque keyset cursors. A cursor holds the last invoice's (issuing date, id) and a MAC keyed by the
 * session id over that and the customer scope, so a cursor is only good within the session that made it: a
 * tampered cursor, or one from another customer's (or another tenant's) session, fails the MAC and is refused as
 * {@code invalid_cursor}. No shared secret is needed, so cursors work across every node that shares the session
 * store. The session id is not treated as a secret (hosts see it in logs and audit events): whoever knows it
 * could mint a cursor for that session, which only moves the position within the same customer's own, scoped
 * invoices, never past the scope.
 */
public final class CursorCodec {
    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int MAX_CURSOR_LENGTH = 512;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });

    private CursorCodec() {
    }

    /** The cursor that continues after {@code key} for this session and customer. */
    public static String encode(String sessionId, CustomerScope scope, InvoiceKey key) {
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer payload = ByteBuffer.allocate(1 + 8 + id.length);
        payload.put(VERSION).putLong(key.issuingDate().toEpochDay()).put(id);
        byte[] body = payload.array();
        byte[] mac = mac(sessionId, scope, body);
        byte[] cursor = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, cursor, body.length, MAC_BYTES);
        return ENCODER.encodeToString(cursor);
    }

    /** The key a cursor continues after; {@code INVALID_REQUEST invalid_cursor} for anything not made by {@link #encode} for this session and customer. */
    public static InvoiceKey decode(String sessionId, CustomerScope scope, String cursor) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < 1 + 8 + 1 + MAC_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(cursor)) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(sessionId, scope, body), MAC_BYTES), mac)) {
            throw invalid();
        }
        ByteBuffer payload = ByteBuffer.wrap(body, 1, body.length - 1);
        long epochDay = payload.getLong();
        String id = new String(body, 9, body.length - 9, StandardCharsets.US_ASCII);
        try {
            return new InvoiceKey(LocalDate.ofEpochDay(epochDay), id);
        } catch (RuntimeException e) { // cannot happen for a cursor we signed; kept as a guard
            throw invalid();
        }
    }

    /**
     * A position in a list other than invoices: a time and an id.
     *
     * @param at the item's time
     * @param id the item's id
     */
    public record TimeKey(java.time.Instant at, String id) {
    }

    private static final byte TIME_VERSION = 2;

    /**
     * The cursor that continues after ({@code at}, {@code id}) in the list named {@code list} (e.g. one wallet's
     * transactions), for this session and customer. The list's name is under the MAC, so a cursor of one list is
     * refused in another.
     */
    public static String encode(String sessionId, CustomerScope scope, String list, java.time.Instant at, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(1 + 8 + 4 + idBytes.length);
        payload.put(TIME_VERSION).putLong(at.getEpochSecond()).putInt(at.getNano()).put(idBytes);
        byte[] body = payload.array();
        byte[] mac = mac(sessionId + "\u0000" + list, scope, body);
        byte[] cursor = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, cursor, body.length, MAC_BYTES);
        return ENCODER.encodeToString(cursor);
    }

    /**
     * The position a cursor of {@link #encode(String, CustomerScope, String, java.time.Instant, String)} continues
     * after; {@code INVALID_REQUEST invalid_cursor} for anything not made by it for this session, customer and list.
     */
    public static TimeKey decode(String sessionId, CustomerScope scope, String list, String cursor) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < 1 + 8 + 4 + 1 + MAC_BYTES || bytes[0] != TIME_VERSION
                || !ENCODER.encodeToString(bytes).equals(cursor)) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(sessionId + "\u0000" + list, scope, body), MAC_BYTES), mac)) {
            throw invalid();
        }
        ByteBuffer payload = ByteBuffer.wrap(body, 1, body.length - 1);
        long seconds = payload.getLong();
        int nanos = payload.getInt();
        String id = new String(body, 13, body.length - 13, StandardCharsets.UTF_8);
        try {
            return new TimeKey(java.time.Instant.ofEpochSecond(seconds, nanos), id);
        } catch (RuntimeException e) { // cannot happen for a cursor we signed; kept as a guard
            throw invalid();
        }
    }

    private static byte[] mac(String sessionId, CustomerScope scope, byte[] body) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(("cursor-v1:" + sessionId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        mac.update(scope.tenantId().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(scope.customerId().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(body);
    }

    private static PortalException invalid() {
        return new PortalException(ErrorCode.INVALID_REQUEST, "invalid_cursor",
                "the cursor is not one this portal session handed out");
    }
}
