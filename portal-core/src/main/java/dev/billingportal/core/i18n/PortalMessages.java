package dev.billingportal.core.i18n;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;

/**
 * The portal's labels and messages, from the {@code dev.billingportal.core.i18n.messages} resource bundles.
 * A locale without a bundle of its own falls back to its language, then to English (never to the JVM's
 * default locale, which would make the portal's language depend on the server).
 */
public final class PortalMessages {
    /** Base name of the bundles. */
    public static final String BUNDLE = "dev.billingportal.core.i18n.messages";

    private static final ResourceBundle.Control NO_JVM_DEFAULT_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private PortalMessages() {
    }

    /** Every label of the locale's bundle, by key (English for keys or locales without a translation). */
    public static Map<String, String> labels(Locale locale) {
        ResourceBundle bundle = bundle(locale);
        Map<String, String> labels = new TreeMap<>();
        for (Enumeration<String> keys = bundle.getKeys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            labels.put(key, bundle.getString(key));
        }
        return Collections.unmodifiableMap(labels);
    }

    /** One label. */
    public static String label(Locale locale, String key) {
        try {
            return bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    /** The bundle for {@code locale}. */
    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ENGLISH : locale,
                PortalMessages.class.getClassLoader(), NO_JVM_DEFAULT_FALLBACK);
    }
}
