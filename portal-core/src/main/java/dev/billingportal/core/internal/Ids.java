package dev.billingportal.core.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Random ids: 128 bits from a {@link SecureRandom}, base64url. Not API. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** 22 characters of base64url carrying 128 random bits. */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new session id, {@code ps_...}. */
    public static String session() {
        return "ps_" + random();
    }

    /** A new event id, {@code evt_...}. */
    public static String event() {
        return "evt_" + random();
    }
}
