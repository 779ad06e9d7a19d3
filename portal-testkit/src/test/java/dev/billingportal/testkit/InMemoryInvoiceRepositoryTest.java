package dev.billingportal.testkit;

import dev.billingportal.core.memory.InMemoryInvoiceRepository;
import dev.billingportal.core.invoices.InvoiceRepository;

/** Runs the {@link InvoiceRepositoryContract} against the in-memory adapter of portal-core. */
class InMemoryInvoiceRepositoryTest extends InvoiceRepositoryContract {

    @Override
    protected InvoiceRepository createRepository() {
        return new InMemoryInvoiceRepository();
    }
}
