package dev.billingportal.jdbc;

import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.audit.AuditTrail;
import dev.billingportal.core.config.PortalConfiguration;
import dev.billingportal.core.config.PortalConfigurations;
import dev.billingportal.core.events.EventOutbox;
import dev.billingportal.core.idempotency.IdempotencyStore;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.invoices.InvoiceRepository;
import dev.billingportal.core.session.PortalSessionRepository;
import dev.billingportal.testkit.AuditTrailContract;
import dev.billingportal.testkit.CustomerRepositoryContract;
import dev.billingportal.testkit.EventOutboxContract;
import dev.billingportal.testkit.IdempotencyStoreContract;
import dev.billingportal.testkit.PortalConfigurationsContract;
import dev.billingportal.testkit.InvoiceRepositoryContract;
import dev.billingportal.testkit.PortalIsolationContract;
import dev.billingportal.testkit.PortalSessionRepositoryContract;
import dev.billingportal.testkit.PortalStorage;
import dev.billingportal.testkit.SessionWithCustomerContract;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite of portal-testkit, the isolation matrix and the JDBC suite, over one database: a subclass
 * per database names it, so a new suite added here runs on all of them.
 */
abstract class DatabaseContracts {

    /** The database every suite of this class runs on: the run's shared server. */
    abstract TestDatabase database();

    @Nested
    class Customers extends CustomerRepositoryContract {
        @Override
        protected CustomerRepository createRepository() {
            return database().emptyStore(Customers.class).customers();
        }
    }

    @Nested
    class Invoices extends InvoiceRepositoryContract {
        private JdbcPortalStore store;

        @Override
        protected InvoiceRepository createRepository() {
            store = database().emptyStore(Invoices.class);
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
            return database().emptyStore(Sessions.class).sessions();
        }
    }

    /** Sessions read with their customer: the store's own customers take its join, others the default's two reads. */
    @Nested
    class SessionsWithCustomers extends SessionWithCustomerContract {
        @Override
        protected Storage createStorage() {
            JdbcPortalStore store = database().emptyStore(SessionsWithCustomers.class);
            return new Storage(store.sessions(), store.customers());
        }
    }

    @Nested
    class Audit extends AuditTrailContract {
        @Override
        protected AuditTrail createTrail() {
            return database().emptyStore(Audit.class).audit();
        }
    }

    @Nested
    class Isolation extends PortalIsolationContract {
        @Override
        protected PortalStorage createStorage() {
            JdbcPortalStore store = database().emptyStore(Isolation.class);
            return new PortalStorage(store.customers(), store.invoices(), store.sessions(), store.audit(),
                    store.configurations(), store.idempotency(), store.outbox(), store.transactions());
        }
    }

    @Nested
    class Configurations extends PortalConfigurationsContract {
        private JdbcPortalConfigurations configurations;

        @Override
        protected PortalConfigurations createConfigurations() {
            configurations = database().emptyStore(Configurations.class).configurations();
            return configurations;
        }

        @Override
        protected void save(String tenantId, PortalConfiguration configuration) {
            configurations.save(tenantId, configuration);
        }

        @Override
        protected void saveDefault(String tenantId, PortalConfiguration configuration) {
            configurations.saveDefault(tenantId, configuration);
        }

        @Override
        protected boolean delete(String tenantId, String name) {
            return configurations.delete(tenantId, name);
        }
    }

    @Nested
    class Idempotency extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore createStore() {
            return database().emptyStore(Idempotency.class).idempotency();
        }
    }

    /** The idempotency contract with every call inside the store's transactions, as the portal may make them. */
    @Nested
    class IdempotencyInTransactions extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore createStore() {
            JdbcPortalStore store = database().emptyStore(IdempotencyInTransactions.class);
            return TransactionalIdempotency.of(store.idempotency(), store.transactions());
        }
    }

    @Nested
    class Outbox extends EventOutboxContract {
        @Override
        protected EventOutbox createOutbox() {
            return database().emptyStore(Outbox.class).outbox();
        }
    }

    @Nested
    class SelfService extends SelfServiceSuite {
        @Override
        TestDatabase database() {
            return DatabaseContracts.this.database();
        }
    }

    @Nested
    class Jdbc extends JdbcStoreSuite {
        @Override
        TestDatabase database() {
            return DatabaseContracts.this.database();
        }
    }

    @Nested
    class SchemaErrors extends SchemaErrorSuite {
        @Override
        TestDatabase database() {
            return DatabaseContracts.this.database();
        }
    }
}
