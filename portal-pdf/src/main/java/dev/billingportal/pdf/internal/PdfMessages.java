package dev.billingportal.pdf.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The document's labels, from the {@value #BUNDLE} resource bundles (one per portal language, English the
 * reference). Like the portal's own messages, a missing locale falls back to English, never to the JVM's
 * default locale, so a document's language does not depend on the server it was rendered on.
 */
final class PdfMessages {
    /** Base name of the bundles. */
    static final String BUNDLE = "dev.billingportal.pdf.messages";

    private static final ResourceBundle.Control NO_JVM_DEFAULT_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final Locale locale;
    private final ResourceBundle bundle;

    PdfMessages(Locale locale) {
        this.locale = locale;
        this.bundle = bundle(locale);
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale, PdfMessages.class.getClassLoader(), NO_JVM_DEFAULT_FALLBACK);
    }

    /** The label {@code key}. */
    String get(String key) {
        return bundle.getString(key);
    }

    /** The pattern {@code key} (a {@link MessageFormat}) filled with {@code arguments}. */
    String format(String key, Object... arguments) {
        return new MessageFormat(bundle.getString(key), locale).format(arguments);
    }
}
