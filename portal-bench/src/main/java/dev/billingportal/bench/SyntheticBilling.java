package dev.billingportal.bench;

import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.invoices.Invoice;
import dev.billingportal.core.invoices.InvoiceStatus;
import dev.billingportal.core.invoices.InvoiceType;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.invoices.PaymentStatus;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Currency;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Makes the customers and invoices of a {@link DataSet}, each customer from a random source of its own (seed and
 * index), so customer 4,242 is the same whether it is made alone or among 10,000.
 *
 * <p>What it looks like: customers in nine countries, each with its currency, time zone, language and tax rate; one
 * in ten also bills some invoices in USD or EUR. Average customers have their invoices spread over two to eight
 * years, the big one over six (about 45 a day). Most invoices are subscriptions. Most are paid; of invoices due in
 * the last ten days or not yet due, about half are unpaid; of older ones, one in a hundred is still unpaid (overdue).
 * About 1.5 % are voided (shown, greyed), and, of average customers, 0.2 % failed and the newest invoice of three in
 * ten is a draft (neither is shown). The big customer finalizes at once and never fails, so every one of its
 * invoices is shown and page 5,000 of 20 is its last. Numbers read like
 * real ones, {@code NORV-2024-000087}: the customer's prefix, the year, and a sequence within the customer.
 */
final class SyntheticBilling {
    /** Bumped whenever generated rows (or how they are stored) change, so stale data sets are made again. */
    static final int VERSION = 2;

    private static final LocalDate TODAY = DataSet.TODAY;

    private record Country(String code, ZoneId zone, String currency, Locale locale, int taxPercent, String[] cities,
                           int weight) {
    }

    private static final Country[] COUNTRIES = {
        new Country("US", ZoneId.of("America/New_York"), "USD", Locale.ENGLISH, 7,
                new String[] {"New York", "Boston", "Austin", "Seattle", "Denver"}, 35),
        new Country("FR", ZoneId.of("Europe/Paris"), "EUR", Locale.FRENCH, 20,
                new String[] {"Paris", "Lyon", "Nantes", "Lille"}, 12),
        new Country("DE", ZoneId.of("Europe/Berlin"), "EUR", Locale.GERMAN, 19,
                new String[] {"Berlin", "Hamburg", "München", "Köln"}, 12),
        new Country("GB", ZoneId.of("Europe/London"), "GBP", Locale.ENGLISH, 20,
                new String[] {"London", "Leeds", "Bristol", "Glasgow"}, 12),
        new Country("NL", ZoneId.of("Europe/Amsterdam"), "EUR", Locale.forLanguageTag("nl"), 21,
                new String[] {"Amsterdam", "Utrecht", "Rotterdam"}, 6),
        new Country("JP", ZoneId.of("Asia/Tokyo"), "JPY", Locale.JAPANESE, 10,
                new String[] {"東京", "大阪", "福岡"}, 8),
        new Country("BR", ZoneId.of("America/Sao_Paulo"), "BRL", Locale.forLanguageTag("pt-BR"), 0,
                new String[] {"São Paulo", "Curitiba", "Recife"}, 5),
        new Country("SE", ZoneId.of("Europe/Stockholm"), "SEK", Locale.forLanguageTag("sv"), 25,
                new String[] {"Stockholm", "Göteborg", "Malmö"}, 5),
        new Country("KW", ZoneId.of("Asia/Kuwait"), "KWD", null, 0,
                new String[] {"Kuwait City", "Hawalli"}, 5),
    };
    private static final int COUNTRY_WEIGHTS = Arrays.stream(COUNTRIES).mapToInt(Country::weight).sum();

    private static final String[] SYLLABLES = {"nor", "vex", "tal", "mor", "ka", "li", "zen", "tro", "qua", "dri",
        "bel", "sa", "fin", "ox", "ra", "mi", "lu", "ven", "cor", "pa", "gal", "to", "ris", "an", "eb", "hal"};
    private static final String[] SUFFIXES = {"Inc.", "Ltd", "GmbH", "SAS", "B.V.", "AB", "K.K.", "LLC", "Labs", "Group"};
    private static final String[] STREETS = {"Main", "Market", "Station", "Harbour", "Mill", "Church", "Park", "High"};

    private SyntheticBilling() {
    }

    /** Customers a data set holds: its average ones, then the big one (when it has one). */
    static int customerCount(DataSet set) {
        return set.customers() + (set.bigInvoices() > 0 ? 1 : 0);
    }

    /** Whether {@code index} is the big customer. */
    static boolean isBig(DataSet set, int index) {
        return index == set.customers();
    }

    /** Customer {@code index}: 0 to {@code customers - 1} are average, {@code customers} is the big one. */
    static Customer customer(DataSet set, int index) {
        SplittableRandom random = random(set, index, 0);
        Country country = isBig(set, index) ? COUNTRIES[0] : country(random);
        String name = isBig(set, index) ? "Whalebone Marketplaces" : companyName(random);
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        Address address = new Address((1 + random.nextInt(400)) + " " + pick(random, STREETS) + " Street", null,
                pick(random, country.cities()), null, String.valueOf(10_000 + random.nextInt(89_999)), country.code());
        return Customer.builder()
                .id(uuid(random))
                .externalId(isBig(set, index) ? DataSet.BIG_CUSTOMER : DataSet.customerExternalId(index))
                .tenantId(DataSet.TENANT)
                .name(name)
                .legalName(name + " " + pick(random, SUFFIXES))
                .email("billing@" + slug + ".example")
                .taxId(country.code() + (100_000_000L + random.nextLong(899_999_999L)))
                .billingAddress(address)
                .shippingAddress(random.nextInt(10) == 0 ? Address.EMPTY : address)
                .currency(country.currency())
                .documentLocale(random.nextInt(5) == 0 ? null : country.locale())
                .timezone(country.zone())
                .build();
    }

    /** The invoices of {@code customer} (made by {@link #customer} with the same index), oldest first. */
    static void invoices(DataSet set, int index, Customer customer, Consumer<Invoice> sink) {
        boolean big = isBig(set, index);
        SplittableRandom random = random(set, index, 1);
        int count = big ? set.bigInvoices() : set.invoicesPerCustomer();
        int spanDays = big ? 6 * 365 : 2 * 365 + random.nextInt(6 * 365);
        int[] days = new int[count];
        for (int i = 0; i < count; i++) {
            days[i] = random.nextInt(spanDays + 1);
        }
        Arrays.sort(days);
        Currency home = customer.currency();
        Currency second = random.nextInt(10) == 0 || big
                ? Currency.getInstance(home.getCurrencyCode().equals("USD") ? "EUR" : "USD") : null;
        int taxPercent = taxPercent(customer);
        // typical invoice of this customer, in major units: 9 to 2,000 (log-uniform), the big one's small ones
        double typical = big ? 5 + random.nextDouble(120) : Math.exp(Math.log(9) + random.nextDouble(Math.log(2000.0 / 9)));
        int netTerms = big ? 15 : new int[] {0, 15, 30, 30, 45}[random.nextInt(5)];
        String prefix = numberPrefix(customer.name());
        boolean draftLast = !big && random.nextInt(10) < 3;
        for (int i = 0; i < count; i++) {
            int seq = i + 1;
            boolean last = seq == count;
            LocalDate issued = last && draftLast ? TODAY : TODAY.minusDays(spanDays - days[i]);
            LocalDate due = issued.plusDays(netTerms);
            Currency currency = second != null && random.nextInt(4) == 0 ? second : home;
            InvoiceType type = type(random);
            double major = typical * (type == InvoiceType.SUBSCRIPTION ? 0.9 + random.nextDouble(0.3)
                    : 0.1 + random.nextDouble(1.5));
            long subtotal = Math.max(1, Math.round(major * Math.pow(10, currency.getDefaultFractionDigits())));
            long taxes = subtotal * taxPercent / 100;
            long total = subtotal + taxes;
            InvoiceStatus status;
            PaymentStatus payment;
            long amountDue;
            int roll = random.nextInt(1000);
            if (last && draftLast) {
                status = InvoiceStatus.DRAFT;
                payment = PaymentStatus.PENDING;
                amountDue = total;
            } else if (roll < 15) {
                status = InvoiceStatus.VOIDED;
                payment = PaymentStatus.PENDING;
                amountDue = 0;
            } else if (roll < 17 && !big) {
                status = InvoiceStatus.FAILED;
                payment = PaymentStatus.PENDING;
                amountDue = total;
            } else {
                status = InvoiceStatus.FINALIZED;
                int unpaid = random.nextInt(1000);
                boolean recent = due.isAfter(TODAY.minusDays(10));
                if (recent ? unpaid < 450 : unpaid < 7) {
                    payment = PaymentStatus.PENDING;
                } else if (recent ? unpaid < 480 : unpaid < 10) {
                    payment = PaymentStatus.FAILED;
                } else {
                    payment = PaymentStatus.SUCCEEDED;
                }
                amountDue = payment == PaymentStatus.SUCCEEDED ? 0 : random.nextInt(10) == 0 ? total / 2 : total;
            }
            String id = uuid(random);
            String number = "%s-%d-%06d".formatted(prefix, issued.getYear(), seq);
            sink.accept(new Invoice(id, customer.tenantId(), customer.id(), number, type, status, payment, issued, due,
                    Money.of(subtotal, currency), Money.of(taxes, currency), Money.of(total, currency),
                    Money.of(amountDue, currency), "s3://bench-invoices/" + id + ".pdf"));
        }
    }

    private static SplittableRandom random(DataSet set, int index, int stream) {
        return new SplittableRandom(set.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + stream);
    }

    private static Country country(SplittableRandom random) {
        int roll = random.nextInt(COUNTRY_WEIGHTS);
        for (Country country : COUNTRIES) {
            roll -= country.weight();
            if (roll < 0) {
                return country;
            }
        }
        throw new AssertionError();
    }

    private static int taxPercent(Customer customer) {
        for (Country country : COUNTRIES) {
            if (country.code().equals(customer.billingAddress().country())) {
                return country.taxPercent();
            }
        }
        return 0;
    }

    private static InvoiceType type(SplittableRandom random) {
        int roll = random.nextInt(100);
        return roll < 80 ? InvoiceType.SUBSCRIPTION : roll < 88 ? InvoiceType.ADD_ON : roll < 93 ? InvoiceType.ONE_OFF
                : roll < 97 ? InvoiceType.CREDIT : InvoiceType.PROGRESSIVE_BILLING;
    }

    private static String companyName(SplittableRandom random) {
        StringBuilder name = new StringBuilder();
        int syllables = 2 + random.nextInt(2);
        for (int i = 0; i < syllables; i++) {
            name.append(pick(random, SYLLABLES));
        }
        name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
        return name.toString();
    }

    /** The first four letters of the name, upper-cased: {@code Norvex} numbers its invoices {@code NORV-...}. */
    private static String numberPrefix(String name) {
        String letters = name.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
        return letters.substring(0, Math.min(4, letters.length()));
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
