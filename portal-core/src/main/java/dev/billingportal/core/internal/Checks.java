package dev.billingportal.core.internal;

import dev.billingportal.core.PortalException;

import java.net.URI;
import java.util.Locale;

/** Argument checks shared by the domain records; every failure is a {@code VALIDATION_ERROR} naming the field. */
public final class Checks {
    /** Longest identifier (ids, external ids, numbers) the library accepts. */
    public static final int MAX_ID_LENGTH = 255;
    /** Longest free text (names, address lines) the library accepts. */
    public static final int MAX_TEXT_LENGTH = 1000;

    private Checks() {
    }

    /** Non-null, or a validation error naming the field. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw PortalException.invalid(field, "is required");
        }
        return value;
    }

    /** A non-blank identifier of at most 255 characters, without control characters or surrounding blanks. */
    public static String id(String value, String field) {
        required(value, field);
        if (value.isBlank()) {
            throw PortalException.invalid(field, "must not be blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw PortalException.invalid(field, "must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (!value.strip().equals(value)) {
            throw PortalException.invalid(field, "must not start or end with blanks");
        }
        requireNoControl(value, field);
        return value;
    }

    /**
     * An identifier of 1 to 255 printable ASCII characters (no blanks). Used where the value takes part in
     * an ordering that must be the same in Java and in every database collation.
     */
    public static String asciiId(String value, String field) {
        required(value, field);
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw PortalException.invalid(field, "must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw PortalException.invalid(field, "must be printable ASCII without blanks");
            }
        }
        return value;
    }

    /**
     * A path an API is mounted at, such as {@code /portal/api}: starts with '/', no trailing '/', unreserved
     * characters only; a configuration error (IllegalArgumentException naming the setting) otherwise.
     */
    public static String mountPath(String value, String setting, String example) {
        java.util.Objects.requireNonNull(value, setting);
        if (!value.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException(setting + " must look like " + example + ", was " + value);
        }
        return value;
    }

    /** Optional free text: null stays null; otherwise at most 1000 characters without control characters. */
    public static String optionalText(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw PortalException.invalid(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        requireNoControl(value, field);
        return value;
    }

    /** An optional e-mail address: null stays null; otherwise one {@code @} with text on both sides. */
    public static String optionalEmail(String value, String field) {
        optionalText(value, field);
        if (value == null) {
            return null;
        }
        int at = value.indexOf('@');
        if (at <= 0 || at != value.lastIndexOf('@') || at == value.length() - 1 || value.contains(" ")) {
            throw PortalException.invalid(field, "is not an e-mail address");
        }
        return value;
    }

    /** An optional phone number: {@code +}, digits, blanks, dots, dashes and parentheses, 3 to 40 characters. */
    public static String optionalPhone(String value, String field) {
        if (value == null) {
            return null;
        }
        if (!value.matches("\\+?[0-9 .()\\-]{3,40}") || value.chars().filter(Character::isDigit).count() < 3) {
            throw PortalException.invalid(field, "must be a phone number such as +33 1 23 45 67 89");
        }
        return value;
    }

    /** The JDK's ISO 3166 alpha-2 codes, read once: every customer read checks its addresses' countries. */
    private static final java.util.Set<String> ISO_COUNTRIES = java.util.Set.of(Locale.getISOCountries());

    /** An optional ISO 3166 alpha-2 country code in upper case. */
    public static String optionalCountry(String value, String field) {
        if (value == null) {
            return null;
        }
        if (!ISO_COUNTRIES.contains(value)) {
            throw PortalException.invalid(field, "must be an ISO 3166 alpha-2 country code such as FR");
        }
        return value;
    }

    /** An optional absolute http(s) URL. */
    public static URI optionalHttpUrl(URI value, String field) {
        if (value == null) {
            return null;
        }
        if (!value.isAbsolute() || value.getHost() == null
                || !("https".equalsIgnoreCase(value.getScheme()) || "http".equalsIgnoreCase(value.getScheme()))) {
            throw PortalException.invalid(field, "must be an absolute http or https URL");
        }
        if (value.toString().length() > 2048) {
            throw PortalException.invalid(field, "must be at most 2048 characters");
        }
        return value;
    }

    private static void requireNoControl(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue; // printable ASCII, most of what is read back: neither a control nor a surrogate
            }
            if (Character.isISOControl(c)) {
                throw PortalException.invalid(field, "must not contain control characters");
            }
            // A lone surrogate is no character at all: databases store it as '?' or refuse it, so what was validated
            // would not be what is read back (found by the fuzz on H2).
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw PortalException.invalid(field, "must be valid Unicode text");
            }
        }
    }
}
