package dev.billingportal.bench;

import java.time.LocalDate;

/**
 * The shape of a generated data set: how many average customers, how many invoices each, and one big customer
 * with many more. Everything else (names, currencies, dates, amounts, statuses) follows from the seed, so the same
 * shape and seed give the same rows on every machine.
 *
 * @param customers           average customers
 * @param invoicesPerCustomer invoices of each average customer
 * @param bigInvoices         invoices of the one big customer (0: no big customer)
 * @param seed                seed of every random choice
 */
public record DataSet(int customers, int invoicesPerCustomer, int bigInvoices, long seed) {
    /** The benchmarks' data set: 10,000 customers of 100 invoices, plus one customer of 100,000. */
    public static final DataSet FULL = new DataSet(10_000, 100, 100_000, 20_261_121L);
    /**
     * The day the data set ends: no invoice is issued later, and the benchmarks' clock stands still on it, so which
     * invoices are overdue does not depend on the day the benchmarks run.
     */
    public static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    /** The tenant of every generated customer. */
    public static final String TENANT = "bench";
    /** External id of the big customer. */
    public static final String BIG_CUSTOMER = "cust-whale";

    /** Checks the counts. */
    public DataSet {
        if (customers < 0 || invoicesPerCustomer < 1 || bigInvoices < 0) {
            throw new IllegalArgumentException("customers >= 0, invoicesPerCustomer >= 1, bigInvoices >= 0 expected");
        }
    }

    /**
     * External id of average customer {@code index}.
     *
     * @param index 0 to {@code customers - 1}
     * @return for example {@code cust-004242}
     */
    public static String customerExternalId(int index) {
        return "cust-%06d".formatted(index);
    }

    /**
     * Every invoice of the data set.
     *
     * @return {@code customers * invoicesPerCustomer + bigInvoices}
     */
    public long invoiceCount() {
        return (long) customers * invoicesPerCustomer + bigInvoices;
    }

    /**
     * Names the data set in the database's marker row, so a different one is never mistaken for it.
     *
     * @return for example {@code v1 customers=10000 invoicesPerCustomer=100 bigInvoices=100000 seed=20261121}
     */
    public String describe() {
        return "v" + SyntheticBilling.VERSION + " customers=" + customers + " invoicesPerCustomer=" + invoicesPerCustomer
                + " bigInvoices=" + bigInvoices + " seed=" + seed;
    }
}
