package dev.billingportal.core.i18n;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The portal's labels and messages, from the {@code dev.billingportal.core.i18n.messages} resource bundles
 * (UTF-8 properties: {@code messages.properties} is English, the reference; {@code messages_fr},
 * {@code messages_nb}, {@code messages_pt_BR}, {@code messages_zh_TW}, ... hold the others).
 * A requested locale is first mapped onto a supported language by {@link PortalLocales#match(Locale)}
 * ({@code no} and {@code nn} read Bokmål, {@code pt-PT} Brazilian Portuguese, {@code zh-Hant-HK} Traditional
 * Chinese); anything else reads English, never the JVM's default locale, which would make the portal's language
 * depend on the server.
 */
public final class PortalMessages {
    /** Base name of the bundles. */
    public static final String BUNDLE = "dev.billingportal.core.i18n.messages";

    private static final ResourceBundle.Control NO_JVM_DEFAULT_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    /**
     * The labels of each supported language, read once: the bundles are resources of the jar and never change, and
     * the config answer of every request needs all of them. Keyed by the matched language, so at most eleven entries
     * whatever locales requests name.
     */
    private static final ConcurrentMap<Locale, Map<String, String>> LABELS = new ConcurrentHashMap<>();
    private static volatile Map<String, String> languageNames;

    private PortalMessages() {
    }

    /** Key of each bundle's own language name, written in that language (the page's language switcher). */
    public static final String LANGUAGE_NAME = "language.name";

    /** Every label of the locale's bundle, by key (English for keys or locales without a translation). */
    public static Map<String, String> labels(Locale locale) {
        return LABELS.computeIfAbsent(language(locale), PortalMessages::readLabels);
    }

    private static Map<String, String> readLabels(Locale language) {
        ResourceBundle bundle = bundle(language);
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

    /** The bundle for {@code locale}: that of its supported language, else English. */
    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, language(locale), PortalMessages.class.getClassLoader(),
                NO_JVM_DEFAULT_FALLBACK);
    }

    /** The supported language whose labels {@code locale} reads: its {@link PortalLocales#match match}, else English. */
    public static Locale language(Locale locale) {
        return PortalLocales.match(locale).orElse(Locale.ENGLISH);
    }

    /** Each supported language by tag ({@code pt-BR}), named in itself ("Português (Brasil)"), in the order of {@link PortalLocales#SUPPORTED}. */
    public static Map<String, String> languageNames() {
        Map<String, String> names = languageNames;
        if (names == null) {
            Map<String, String> read = new LinkedHashMap<>();
            for (Locale locale : PortalLocales.SUPPORTED) {
                read.put(locale.toLanguageTag(), label(locale, LANGUAGE_NAME));
            }
            names = Collections.unmodifiableMap(read);
            languageNames = names; // a race reads the same bundles twice, nothing worse
        }
        return names;
    }
}
