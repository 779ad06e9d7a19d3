package dev.billingportal.jdbc;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.spi.AuditTrail;
import dev.billingportal.core.spi.CustomerRepository;
import dev.billingportal.core.spi.InvoiceRepository;
import dev.billingportal.core.spi.PortalSessionRepository;
import dev.billingportal.testkit.AuditTrailContract;
import dev.billingportal.testkit.CustomerRepositoryContract;
import dev.billingportal.testkit.InvoiceRepositoryContract;
import dev.billingportal.testkit.PortalSessionRepositoryContract;
import org.junit.jupiter.api.Nested;

/** The contract suites and the JDBC suite on PostgreSQL (embedded 18.6, or PORTAL_TEST_POSTGRES_URL). */
class PostgresContractsTest {
    private static final TestDatabase DB = TestDatabase.postgres();

    @Nested
    class Customers extends CustomerRepositoryContract {
        @Override
        protected CustomerRepository createRepository() {
            return DB.emptyStore(Customers.class).customers();
        }
    }

    @Nested
    class Invoices extends InvoiceRepositoryContract {
        private JdbcPortalStore store;

        @Override
        protected InvoiceRepository createRepository() {
            store = DB.emptyStore(Invoices.class);
            return store.invoices();
        }

        @Override
        protected void saveCustomer(Customer customer) {
            store.customers().save(customer);
        }
    }

    @Nested
    class Sessions extends PortalSessionRepositoryContract {
        @Override
        protected PortalSessionRepository createRepository() {
            return DB.emptyStore(Sessions.class).sessions();
        }
    }

    @Nested
    class Audit extends AuditTrailContract {
        @Override
        protected AuditTrail createTrail() {
            return DB.emptyStore(Audit.class).audit();
        }
    }

    @Nested
    class Jdbc extends JdbcStoreSuite {
        @Override
        TestDatabase database() {
            return DB;
        }
    }
}
