package dev.billingportal.core.api.internal;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.api.PortalRequest;
import dev.billingportal.core.i18n.PortalLocales;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Query parameters: the {@code locale} every endpoint takes, dates, enums, single values. Not API. */
public final class Params {
    private static final String SUPPORTED_TAGS = PortalLocales.SUPPORTED.stream().map(Locale::toLanguageTag)
            .collect(Collectors.joining(", "));

    private Params() {
    }

    /**
     * The {@code locale} parameter: empty when absent; a 422 naming the supported languages when it is given more
     * than once, is not a well-formed BCP 47 tag, or names a language the portal does not speak. A supported tag
     * keeps its region ({@code fr-CH} formats the Swiss way, with French labels).
     */
    public static Optional<Locale> requestedLocale(Map<String, List<String>> params) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Optional<Locale> locale = requestedLocale(params, problems);
        if (!problems.isEmpty()) {
            throw PortalException.invalid(problems);
        }
        return locale;
    }

    /** {@link #requestedLocale(Map)}, collecting its problem instead of throwing. */
    public static Optional<Locale> requestedLocale(Map<String, List<String>> params, Map<String, List<String>> problems) {
        List<String> values = params.getOrDefault("locale", List.of());
        if (values.isEmpty() || (values.size() == 1 && values.get(0).isEmpty())) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            problems.put("locale", List.of("must be given once"));
            return Optional.empty();
        }
        String tag = values.get(0);
        Locale locale;
        try {
            locale = tag.length() > 35 ? null : new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            locale = null;
        }
        if (locale == null || locale.getLanguage().isEmpty()) {
            problems.put("locale", List.of("must be a language tag such as fr or pt-BR"));
            return Optional.empty();
        }
        if (PortalLocales.match(locale).isEmpty()) {
            problems.put("locale", List.of("unsupported language; supported: " + SUPPORTED_TAGS));
            return Optional.empty();
        }
        return Optional.of(locale);
    }

    /** The best supported language of the request's {@code Accept-Language}, else English. */
    public static Locale acceptedLocale(PortalRequest request) {
        String header = request.header("Accept-Language").orElse("");
        if (header.isBlank() || header.length() > 500) {
            return Locale.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                Optional<Locale> match = PortalLocales.match(range.getRange());
                if (match.isPresent() && range.getWeight() > 0) {
                    return match.get();
                }
            }
        } catch (IllegalArgumentException e) {
            // a malformed header reads as no preference
        }
        return Locale.ENGLISH;
    }

    /** The values of an enum parameter (comma-separated, repeatable, case-insensitive), collecting unknown ones. */
    public static <E extends Enum<E>> Set<E> enumValues(Map<String, List<String>> params, String name, Class<E> type,
                                                        Map<String, List<String>> problems) {
        Set<E> values = EnumSet.noneOf(type);
        for (String raw : params.getOrDefault(name, List.of())) {
            for (String part : raw.split(",", -1)) {
                String value = part.strip();
                if (value.isEmpty()) {
                    continue;
                }
                try {
                    values.add(Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.computeIfAbsent(name, n -> new ArrayList<>()).add("unknown value: " + truncate(value));
                }
            }
        }
        return values;
    }

    /** A {@code YYYY-MM-DD} parameter, or null; collects a malformed one. */
    public static LocalDate date(Map<String, List<String>> params, String name, Map<String, List<String>> problems) {
        String value = first(params, name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.put(name, List.of("must be a date as YYYY-MM-DD"));
            return null;
        }
    }

    /** The first value of a parameter, or null. */
    public static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A value cut to 40 characters, to quote back in an error. */
    public static String truncate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
