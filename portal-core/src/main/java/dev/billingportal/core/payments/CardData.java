package dev.billingportal.core.payments;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises text that could be card data, so that the portal refuses it before it can be stored, logged or echoed:
 * a primary account number (a run of 13 to 19 digits, possibly split by single spaces or dashes, that passes the Luhn
 * check; or any such run of 16 to 19 digits, Luhn-valid or not) or magnetic-stripe track data ({@code %B4111...^} or
 * {@code ;4111...=}). A security code (3 or 4 digits) cannot be told from other text: the portal simply has no field
 * for one. Runs of 12 digits or fewer (phone numbers, dates, ids) are never card data here; a 13 to 15 digit phone
 * number that happens to pass the Luhn check is refused too, the price of the guard.
 */
public final class CardData {
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d(?:[ -]?\\d){12,}");
    private static final Pattern TRACK = Pattern.compile("%[A-Za-z]\\d{12,19}\\^|;\\d{12,19}=");

    private CardData() {
    }

    /**
     * Whether {@code text} holds something that looks like a card number or track data.
     *
     * @param text any text, or null
     * @return true when it must not be kept
     */
    public static boolean looksLikeCardData(String text) {
        if (text == null || text.length() < 13) {
            return false;
        }
        if (TRACK.matcher(text).find()) {
            return true;
        }
        Matcher m = DIGIT_RUN.matcher(text);
        while (m.find()) {
            String digits = m.group().replace(" ", "").replace("-", "");
            for (int len = Math.min(19, digits.length()); len >= 13; len--) {
                for (int start = 0; start + len <= digits.length(); start++) {
                    if (len >= 16 || luhn(digits, start, len)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether any name or text value in a JSON document looks like card data.
     *
     * @param node a JSON document, or null
     * @return true when it must not be kept
     */
    public static boolean containsCardData(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual() || node.isNumber()) {
            return looksLikeCardData(node.asText());
        }
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (looksLikeCardData(name) || containsCardData(node.get(name))) {
                    return true;
                }
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsCardData(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean luhn(String digits, int start, int len) {
        int sum = 0;
        for (int i = 0; i < len; i++) {
            int d = digits.charAt(start + len - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
