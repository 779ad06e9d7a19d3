package dev.billingportal.core.i18n;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages the portal speaks, and how any requested locale maps onto one of them
 * ({@code fr-CA} speaks French, {@code pt} Brazilian Portuguese, {@code no} Norwegian Bokmål).
 */
public final class PortalLocales {
    /** Brazilian Portuguese. */
    public static final Locale PT_BR = Locale.forLanguageTag("pt-BR");
    /** Traditional Chinese (Taiwan). */
    public static final Locale ZH_TW = Locale.forLanguageTag("zh-TW");
    /** Norwegian Bokmål. */
    public static final Locale NB = Locale.forLanguageTag("nb");

    /** Every supported language: Lago's nine plus Japanese and Dutch. English first. */
    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.FRENCH, Locale.GERMAN,
            Locale.forLanguageTag("es"), Locale.ITALIAN, NB, Locale.forLanguageTag("sv"), PT_BR, ZH_TW,
            Locale.JAPANESE, Locale.forLanguageTag("nl"));

    private PortalLocales() {
    }

    /** The supported locale that serves {@code requested}, if any. */
    public static Optional<Locale> match(Locale requested) {
        if (requested == null) {
            return Optional.empty();
        }
        String language = requested.getLanguage();
        switch (language) {
            case "pt":
                return Optional.of(PT_BR);
            case "zh":
                // Simplified Chinese readers are better served by English than by the wrong script.
                boolean simplified = "Hans".equals(requested.getScript())
                        || List.of("CN", "SG").contains(requested.getCountry());
                return simplified ? Optional.empty() : Optional.of(ZH_TW);
            case "no":
            case "nb":
            case "nn":
                return Optional.of(NB);
            default:
                return SUPPORTED.stream().filter(l -> l.getLanguage().equals(language)).findFirst();
        }
    }

    /** The supported locale for a BCP 47 tag such as {@code fr-CA}; empty for unsupported or malformed tags. */
    public static Optional<Locale> match(String languageTag) {
        if (languageTag == null || languageTag.isBlank() || languageTag.length() > 35) {
            return Optional.empty();
        }
        Locale parsed = Locale.forLanguageTag(languageTag.strip());
        return parsed.getLanguage().isEmpty() ? Optional.empty() : match(parsed);
    }
}
