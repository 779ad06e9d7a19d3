package dev.billingportal.pdf;

import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.invoices.PaymentStatus;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static dev.billingportal.pdf.Fixtures.line;
import static dev.billingportal.pdf.Fixtures.plain;
import static dev.billingportal.pdf.Fixtures.render;
import static dev.billingportal.pdf.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** What a rendered invoice says, read back from the PDF the way a reader copying its text would get it. */
class InvoicePdfContentTest {

    @Test
    void frenchInvoiceShowsNumberPartiesLabelsDatesAndTotalsInFrench() {
        Customer customer = Fixtures.customer("Société Générale d’Électricité", Locale.FRENCH);
        Invoice invoice = Fixtures.invoice(customer, "ACME-2026-0042", 123_456, 20_576, "EUR").build();

        String text = plain(text(render(Fixtures.store().build(), customer, invoice)));

        assertThat(text).contains("Facture", "ACME-2026-0042", "Société Générale d’Électricité", "Acme Billing SAS");
        assertThat(text).contains("N° de facture", "Date d’émission 1 nov. 2026", "Date d’échéance 1 déc. 2026",
                "Facturé à", "Identifiant fiscal DE999999999", "Identifiant fiscal FR12345678901", "Allemagne");
        assertThat(text).contains("Total HT 1 028,80 €", "TVA 205,76 €", "Total TTC 1 234,56 €", "Net à payer 1 234,56 €",
                "Statut À payer", "Page 1/1");
    }

    @Test
    void japaneseInvoiceShowsJapaneseLabelsYenWithoutDecimalsAndAKanjiCustomerName() {
        Customer customer = Fixtures.customer("株式会社山田商事 髙﨑様", Locale.JAPANESE);
        Invoice invoice = Fixtures.invoice(customer, "請求-2026-01", 1_235, 112, "JPY").build();

        String text = text(render(Fixtures.store().build(), customer, invoice));

        assertThat(text).contains("請求書", "請求書番号 請求-2026-01", "株式会社山田商事 髙﨑様", "請求先", "発行日 2026/11/01");
        assertThat(text).containsPattern("合計 [¥￥]1,235").containsPattern("未払金額 [¥￥]1,235").containsPattern("小計 [¥￥]1,123");
    }

    @Test
    void traditionalChineseInvoiceShowsChineseLabelsAndCustomerName() {
        Customer customer = Fixtures.customer("臺灣積體電路製造股份有限公司", Locale.forLanguageTag("zh-Hant-TW"));
        Invoice invoice = Fixtures.invoice(customer, "TW-7", 105_000, 5_000, "TWD").build();

        String text = text(render(Fixtures.store().build(), customer, invoice));

        assertThat(text).contains("發票", "發票號碼 TW-7", "買受人", "臺灣積體電路製造股份有限公司", "總計", "應付金額", "第 1/1 頁");
    }

    @Test
    void cyrillicGreekAndCjkLineDescriptionsAreExtractableText() {
        Customer customer = Fixtures.customer("Big Corp", Locale.ENGLISH);
        Invoice invoice = Fixtures.invoice(customer, "INV-1", 3_000, 0, "EUR").build();
        PdfInvoiceDocumentStore store = Fixtures.store().lines(i -> Stream.of(
                line("Подписка «Про», ноябрь", "1", 1_000, 1_000, "EUR", null),
                line("Συνδρομή Νοεμβρίου", "1", 1_000, 1_000, "EUR", null),
                line("サポート（プレミアム）・発票附件", "1", 1_000, 1_000, "EUR", null))).build();

        String text = text(render(store, customer, invoice));

        assertThat(text).contains("Подписка «Про», ноябрь", "Συνδρομή Νοεμβρίου", "サポート（プレミアム）・発票附件");
    }

    @Test
    void fontsAreEmbeddedSubsetsAndOnlyTheScriptsUsedAreEmbedded() throws IOException {
        Customer customer = Fixtures.customer("Big Corp", Locale.ENGLISH);
        Invoice invoice = Fixtures.invoice(customer, "INV-1", 1_000, 0, "EUR").build();
        PdfInvoiceDocumentStore latinOnly = Fixtures.store().build();
        PdfInvoiceDocumentStore withKana = Fixtures.store().lines(i -> Stream.of(line("カタカナ", "1", 1_000, 1_000, "EUR", null))).build();

        List<String> latinFonts = fontNames(render(latinOnly, customer, invoice));
        List<String> kanaFonts = fontNames(render(withKana, customer, invoice));

        // A subset's name is tagged "ABCDEF+Name" (PDF 32000-1, 9.6.4); embedded means a font file is present.
        assertThat(latinFonts).hasSize(1).allMatch(name -> name.matches("[A-Z]{6}\\+NotoSans-Regular embedded"));
        assertThat(kanaFonts).hasSize(2).anyMatch(name -> name.matches("[A-Z]{6}\\+NotoSansTC-Regular embedded"));
    }

    @Test
    void voidedInvoiceIsWatermarkedAndLabelledAndShowsNoAmountDue() {
        Customer customer = Fixtures.customer("Big Corp", Locale.GERMAN);
        Invoice invoice = Fixtures.invoice(customer, "INV-9", 10_000, 0, "EUR").status(InvoiceStatus.VOIDED).build();

        byte[] pdf = render(Fixtures.store().build(), customer, invoice);

        assertThat(text(pdf)).contains("Status Storniert", "Gesamtbetrag").doesNotContain("Offener Betrag");
        assertThat(diagonalText(pdf)).isEqualTo("STORNIERT");
    }

    @Test
    void statusIsOverdueOnlyOnceTheDueDateHasPassedInTheCustomersTimeZone() {
        // 2026-12-01T23:30Z is already 2 December in Tokyo, still 1 December in Los Angeles.
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T23:30:00Z"), ZoneOffset.UTC);
        PdfInvoiceDocumentStore store = Fixtures.store().clock(clock).build();
        Customer tokyo = Fixtures.customer("Tokyo KK", Locale.ENGLISH).toBuilder().timezone(ZoneId.of("Asia/Tokyo")).build();
        Customer losAngeles = tokyo.toBuilder().timezone(ZoneId.of("America/Los_Angeles")).build();
        Invoice dueFirstOfDecember = Fixtures.invoice(tokyo, "INV-2", 5_000, 0, "USD").build();

        assertThat(text(render(store, tokyo, dueFirstOfDecember))).contains("Status Overdue");
        assertThat(text(render(store, losAngeles, dueFirstOfDecember))).contains("Status To pay");
    }

    @Test
    void paidAndFailedPaymentsAreLabelled() {
        Customer customer = Fixtures.customer("Big Corp", Locale.forLanguageTag("es"));
        Invoice.Builder invoice = Fixtures.invoice(customer, "INV-3", 5_000, 0, "EUR");

        String paid = text(render(Fixtures.store().build(), customer, invoice.paymentStatus(PaymentStatus.SUCCEEDED).amountDue(null).build()));
        String failed = text(render(Fixtures.store().build(), customer, invoice.paymentStatus(PaymentStatus.FAILED).build()));

        assertThat(paid).contains("Estado Pagada", "Importe pendiente 0,00");
        assertThat(failed).contains("Estado Pago fallido", "Importe pendiente 50,00");
    }

    @Test
    void withoutLinesOneSummaryLineShowsTheInvoiceTypeAndSubtotal() {
        Customer customer = Fixtures.customer("Big Corp", Locale.forLanguageTag("nl"));
        Invoice invoice = Fixtures.invoice(customer, "INV-4", 12_100, 2_100, "EUR").type(InvoiceType.ONE_OFF).build();

        String text = plain(text(render(Fixtures.store().build(), customer, invoice)));

        assertThat(text).contains("Factuur", "Omschrijving", "Eenmalige kosten 1 € 100,00 € 100,00", "Totaal € 121,00");
    }

    @Test
    void amountsKeepTheirCurrencysFractionDigitsAndQuantitiesAndRatesFollowTheLocale() {
        Customer customer = Fixtures.customer("Big Corp", Locale.GERMAN);
        Invoice invoice = Fixtures.invoice(customer, "INV-5", 1_234_560, 0, "KWD").build();
        PdfInvoiceDocumentStore store = Fixtures.store().lines(i -> Stream.of(
                line("Beratung", "2.5", 493_824, 1_234_560, "KWD", "5.5"))).build();

        String text = plain(text(render(store, customer, invoice)));

        assertThat(text).contains("Beratung 2,5 493,824 KWD 5,5 % 1.234,560 KWD", "Gesamtbetrag 1.234,560 KWD");
    }

    @Test
    void customerWithoutSupportedDocumentLocaleGetsTheStoresDefaultLanguage() {
        Customer korean = Fixtures.customer("Big Corp", Locale.KOREAN);
        Customer none = Fixtures.customer("Big Corp", null);
        Invoice invoice = Fixtures.invoice(korean, "INV-6", 1_000, 0, "EUR").build();
        PdfInvoiceDocumentStore italianByDefault = Fixtures.store().defaultLocale(Locale.ITALIAN).build();

        assertThat(text(render(italianByDefault, korean, invoice))).contains("Fattura", "Totale");
        assertThat(text(render(Fixtures.store().build(), none, invoice))).contains("Invoice", "Amount due");
    }

    @Test
    void regionalDocumentLocalesMapOntoPortalLanguages() {
        Customer brazil = Fixtures.customer("Big Corp", Locale.forLanguageTag("pt-PT"));
        Customer norway = Fixtures.customer("Big Corp", Locale.forLanguageTag("no"));
        Invoice invoice = Fixtures.invoice(brazil, "INV-7", 1_000, 0, "BRL").build();

        assertThat(text(render(Fixtures.store().build(), brazil, invoice))).contains("Fatura", "Valor a pagar");
        assertThat(text(render(Fixtures.store().build(), norway, invoice))).contains("Faktura", "Å betale");
    }

    @Test
    void sellerLogoIsDrawnOnTheFirstPage() throws IOException {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        PdfInvoiceDocumentStore store = Fixtures.store().seller(Fixtures.SELLER.toBuilder().logo(png.toByteArray()).build()).build();
        Customer customer = Fixtures.customer("Big Corp", Locale.ENGLISH);

        byte[] pdf = render(store, customer, Fixtures.invoice(customer, "INV-8", 1_000, 0, "EUR").build());

        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDResources resources = document.getPage(0).getResources();
            List<PDImageXObject> images = new ArrayList<>();
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof PDImageXObject xobject) {
                    images.add(xobject);
                }
            }
            assertThat(images).singleElement().satisfies(i -> assertThat(i.getWidth()).isEqualTo(40));
        }
    }

    @Test
    void longCustomerAddressesAndNumbersWrapInsteadOfRunningOffThePage() {
        String longName = "The Extraordinarily Long Legal Name Of A Holding Company Incorporated Under The Laws Of Delaware";
        Customer customer = Fixtures.customer(longName, Locale.ENGLISH).toBuilder()
                .billingAddress(new Address("1 Infinite Loop", null, "Cupertino", "CA", "95014", "US")).build();
        Invoice invoice = Fixtures.invoice(customer, "INV-" + "9".repeat(80), 1_000, 0, "USD").build();

        String text = text(render(Fixtures.store().build(), customer, invoice));

        // Wrapped text comes back as several lines: no single line holds the whole name or number.
        assertThat(text).doesNotContain(longName).contains("The Extraordinarily Long Legal Name", "Cupertino, CA 95014", "United States");
        assertThat(text).containsPattern("Invoice number INV-\\R9{20,}\\R9+");
    }

    /** The characters drawn at an angle: the watermark. */
    private static String diagonalText(byte[] pdf) {
        StringBuilder diagonal = new StringBuilder();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void processTextPosition(TextPosition text) {
                    if (Math.abs(text.getTextMatrix().getShearY()) > 0.1f) {
                        diagonal.append(text.getUnicode());
                    }
                    super.processTextPosition(text);
                }
            };
            stripper.getText(document);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return diagonal.toString();
    }

    private static List<String> fontNames(byte[] pdf) throws IOException {
        List<String> names = new ArrayList<>();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDResources resources = document.getPage(0).getResources();
            for (COSName name : resources.getFontNames()) {
                PDFont font = resources.getFont(name);
                names.add(font.getName() + (font.isEmbedded() ? " embedded" : " not embedded"));
            }
        }
        return names;
    }
}
