package dev.billingportal.core.i18n;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One locale's medium date format with the texts it last wrote, kept by {@link MoneyFormat}. A page of twenty
 * invoices formats forty dates and most are the same few days, while {@link DateTimeFormatter#format} walks its
 * printer parsers and builds a string every time (under load, the dates cost more than the six amounts beside them).
 *
 * <p>The kept texts are a fixed table indexed by the date's day number: a date that lands on a slot holding another
 * date replaces it, so the memory is bounded ({@value #SLOTS} texts per locale) whatever dates a data set holds.
 * Each slot holds an immutable pair, so threads share the table without locks; a lost race only costs a format.
 */
final class LocalizedDates {
    /** Slots per locale: more than two years of distinct days. */
    static final int SLOTS = 1024;

    private record Formatted(long epochDay, String text) {
    }

    private final DateTimeFormatter formatter;
    private final AtomicReferenceArray<Formatted> recent = new AtomicReferenceArray<>(SLOTS);

    LocalizedDates(DateTimeFormatter formatter) {
        this.formatter = formatter;
    }

    /** The date in this locale's medium style, exactly as {@link #formatter} writes it. */
    String format(LocalDate date) {
        long day = date.toEpochDay();
        int slot = (int) (day & (SLOTS - 1));
        Formatted kept = recent.getAcquire(slot);
        if (kept != null && kept.epochDay() == day) {
            return kept.text();
        }
        String text = formatter.format(date);
        recent.setRelease(slot, new Formatted(day, text));
        return text;
    }
}
