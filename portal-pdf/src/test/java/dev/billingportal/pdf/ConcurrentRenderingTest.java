package dev.billingportal.pdf;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One store serves concurrent downloads; the fonts every document shares are only read. */
class ConcurrentRenderingTest {

    @Test
    void concurrentRenderingsInSeveralScriptsEachProduceTheirOwnCorrectDocument() throws Exception {
        PdfInvoiceDocumentStore store = Fixtures.store()
                .lines(i -> Stream.of(Fixtures.line("項目 " + i.number() + " Позиция", "1", 100, 100, "JPY", null))).build();
        Locale[] locales = {Locale.JAPANESE, Locale.forLanguageTag("zh-TW"), Locale.FRENCH, Locale.forLanguageTag("sv")};
        String[] titles = {"請求書", "發票", "Facture", "Faktura"};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> texts = new ArrayList<>();
            for (int n = 0; n < 16; n++) {
                Customer customer = Fixtures.customer("顧客 " + n, locales[n % 4]);
                Invoice invoice = Fixtures.invoice(customer, "N-" + n, 1_000, 0, "JPY").build();
                texts.add(pool.submit(() -> Fixtures.text(Fixtures.render(store, customer, invoice))));
            }
            for (int n = 0; n < 16; n++) {
                assertThat(texts.get(n).get()).contains(titles[n % 4], "顧客 " + n, "項目 N-" + n + " Позиция");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
