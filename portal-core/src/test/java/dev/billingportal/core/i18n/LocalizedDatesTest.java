package dev.billingportal.core.i18n;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class LocalizedDatesTest {
    private static final DateTimeFormatter FRENCH = MoneyFormat.dateFormatter(Locale.FRANCE);

    @Test
    @DisplayName("a kept text is the formatter's, also for dates that share a slot (SLOTS days apart) asked in turn")
    void keptTextsAreTheFormattersOwn() {
        LocalizedDates format = new LocalizedDates(FRENCH);
        LocalDate day = LocalDate.of(2026, 11, 21);
        LocalDate sameSlot = day.plusDays(LocalizedDates.SLOTS);
        for (int round = 0; round < 3; round++) {
            for (LocalDate date : List.of(day, sameSlot, day.minusDays(LocalizedDates.SLOTS), day.plusDays(1))) {
                assertThat(format.format(date)).as("%s, round %d", date, round).isEqualTo(FRENCH.format(date));
            }
        }
        assertThat(format.format(day)).isEqualTo("21 nov. 2026");
    }

    @Test
    @DisplayName("four threads formatting ten years of days at once each get every date's own text")
    void threadsShareTheTable() throws Exception {
        LocalizedDates format = new LocalizedDates(FRENCH);
        LocalDate start = LocalDate.of(2020, 1, 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> checks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 97;
                checks.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 3_653; i++) {
                        LocalDate date = start.plusDays((i + offset) % 3_653);
                        assertThat(format.format(date)).isEqualTo(FRENCH.format(date));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> check : checks) {
                assertThat(check.get()).isEqualTo(3_653);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
