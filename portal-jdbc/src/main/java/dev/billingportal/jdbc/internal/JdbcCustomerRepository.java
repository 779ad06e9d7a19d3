package dev.billingportal.jdbc.internal;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.CustomerScope;
import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.domain.Customer;
import dev.billingportal.core.domain.Money;
import dev.billingportal.core.internal.Checks;
import dev.billingportal.core.profile.CustomerRepository;
import dev.billingportal.core.profile.CustomerUpdate;
import dev.billingportal.core.profile.ProfileField;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Customers in the {@code customers} table. Thread-safe: every call runs on its own connection (or the host's
 * transaction). A save is an update, else an insert; the insert runs under a savepoint so that losing a race
 * for the same new customer turns into an update instead of an error.
 */
public final class JdbcCustomerRepository implements CustomerRepository {
    private static final String COLUMNS = """
            tenant_id, id, external_id, name, legal_name, email, tax_id,
            billing_line1, billing_line2, billing_city, billing_state, billing_zipcode, billing_country,
            shipping_line1, shipping_line2, shipping_city, shipping_state, shipping_zipcode, shipping_country,
            currency, document_locale, timezone, phone""";

    private static final String SELECT_BY_ID = """
            SELECT %s FROM ${table_prefix}customers WHERE tenant_id = ? AND id = ?
            """.formatted(COLUMNS);

    private static final String SELECT_BY_EXTERNAL_ID = """
            SELECT %s FROM ${table_prefix}customers WHERE tenant_id = ? AND external_id = ?
            """.formatted(COLUMNS);

    private static final String UPDATE = """
            UPDATE ${table_prefix}customers SET external_id = ?, name = ?, legal_name = ?, email = ?, tax_id = ?,
                billing_line1 = ?, billing_line2 = ?, billing_city = ?, billing_state = ?, billing_zipcode = ?,
                billing_country = ?, shipping_line1 = ?, shipping_line2 = ?, shipping_city = ?, shipping_state = ?,
                shipping_zipcode = ?, shipping_country = ?, currency = ?, document_locale = ?, timezone = ?, phone = ?
            WHERE tenant_id = ? AND id = ?
            """;

    private static final String INSERT = """
            INSERT INTO ${table_prefix}customers (external_id, name, legal_name, email, tax_id,
                billing_line1, billing_line2, billing_city, billing_state, billing_zipcode, billing_country,
                shipping_line1, shipping_line2, shipping_city, shipping_state, shipping_zipcode, shipping_country,
                currency, document_locale, timezone, phone, tenant_id, id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String SELECT_FOR_UPDATE = """
            SELECT %s FROM ${table_prefix}customers WHERE tenant_id = ? AND id = ? FOR UPDATE
            """.formatted(COLUMNS);

    private final JdbcExecutor db;
    private final TablePrefix prefix;
    private final String selectForUpdate;
    private final String selectById;
    private final String selectByExternalId;
    private final String update;
    private final String insert;

    /**
     * A repository over the prefixed {@code customers} table.
     *
     * @param db     runs the SQL
     * @param prefix the table prefix
     */
    public JdbcCustomerRepository(JdbcExecutor db, TablePrefix prefix) {
        this.db = db;
        this.prefix = prefix;
        this.selectForUpdate = prefix.apply(SELECT_FOR_UPDATE);
        this.selectById = prefix.apply(SELECT_BY_ID);
        this.selectByExternalId = prefix.apply(SELECT_BY_EXTERNAL_ID);
        this.update = prefix.apply(UPDATE);
        this.insert = prefix.apply(INSERT);
    }

    @Override
    public Optional<Customer> findByExternalId(CustomerRef ref) {
        Checks.required(ref, "customer");
        return db.read("finding a customer", c -> find(c, selectByExternalId, ref.tenantId(), ref.externalId()));
    }

    @Override
    public Optional<Customer> findById(String tenantId, String customerId) {
        Checks.id(tenantId, "tenant_id");
        Checks.id(customerId, "customer_id");
        return db.read("finding a customer", c -> find(c, selectById, tenantId, customerId));
    }

    @Override
    public void save(Customer customer) {
        Checks.required(customer, "customer");
        db.transaction("saving a customer", "external_id_taken", c -> {
            if (write(c, update, customer) == 1) {
                return null;
            }
            Savepoint savepoint = c.setSavepoint();
            try {
                write(c, insert, customer);
                c.releaseSavepoint(savepoint);
                return null;
            } catch (SQLException e) {
                if (!db.dialect().isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback(savepoint);
            }
            // Either another save created this customer meanwhile (then this one replaces it), or the external id
            // belongs to another customer of the tenant.
            if (write(c, update, customer) == 1) {
                return null;
            }
            throw new PortalException(ErrorCode.CONFLICT, "external_id_taken",
                    "another customer of the tenant has this external id");
        });
    }

    @Override
    public boolean supportsUpdate() {
        return true;
    }

    /**
     * Changes exactly the columns of the update's fields, in one {@code UPDATE} scoped by tenant and internal id, after
     * {@link CustomerUpdate#applyTo} validated the whole result against the row as stored (locked meanwhile, so a
     * concurrent update cannot slip between the check and the write); then answers the row as stored.
     */
    @Override
    public Customer update(CustomerScope scope, CustomerUpdate update) {
        Checks.required(scope, "scope");
        Checks.required(update, "update");
        return db.transaction("updating a customer", "external_id_taken", c -> {
            Customer current = find(c, selectForUpdate, scope.tenantId(), scope.customerId())
                    .orElseThrow(() -> PortalException.notFound("customer"));
            Customer changed = update.applyTo(current); // validates as a whole before anything is written
            if (update.isEmpty()) {
                return current;
            }
            List<String> columns = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (ProfileField field : update.fields()) {
                switch (field) {
                    case NAME -> set(columns, values, "name", changed.name());
                    case LEGAL_NAME -> set(columns, values, "legal_name", changed.legalName());
                    case EMAIL -> set(columns, values, "email", changed.email());
                    case PHONE -> set(columns, values, "phone", changed.phone());
                    case TAX_ID -> set(columns, values, "tax_id", changed.taxId());
                    case BILLING_ADDRESS -> setAddress(columns, values, "billing_", changed.billingAddress());
                    case SHIPPING_ADDRESS -> setAddress(columns, values, "shipping_", changed.shippingAddress());
                    case DOCUMENT_LOCALE -> set(columns, values, "document_locale",
                            changed.documentLocale() == null ? null : changed.documentLocale().toLanguageTag());
                }
            }
            // Column names come from the fixed list above, never from input.
            String sql = prefix.apply("UPDATE ${table_prefix}customers SET "
                    + String.join(", ", columns.stream().map(column -> column + " = ?").toList())
                    + " WHERE tenant_id = ? AND id = ?");
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                int i = 1;
                for (String value : values) {
                    statement.setString(i++, value);
                }
                statement.setString(i++, scope.tenantId());
                statement.setString(i, scope.customerId());
                if (statement.executeUpdate() != 1) {
                    throw PortalException.notFound("customer");
                }
            }
            return find(c, selectById, scope.tenantId(), scope.customerId())
                    .orElseThrow(() -> PortalException.notFound("customer"));
        });
    }

    private static void set(List<String> columns, List<String> values, String column, String value) {
        columns.add(column);
        values.add(value);
    }

    private static void setAddress(List<String> columns, List<String> values, String prefix, Address address) {
        set(columns, values, prefix + "line1", address.line1());
        set(columns, values, prefix + "line2", address.line2());
        set(columns, values, prefix + "city", address.city());
        set(columns, values, prefix + "state", address.state());
        set(columns, values, prefix + "zipcode", address.zipcode());
        set(columns, values, prefix + "country", address.country());
    }

    private static Optional<Customer> find(Connection c, String sql, String tenantId, String key) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(customer(rows)) : Optional.empty();
            }
        }
    }

    private static int write(Connection c, String sql, Customer customer) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            int i = 1;
            statement.setString(i++, customer.externalId());
            statement.setString(i++, customer.name());
            statement.setString(i++, customer.legalName());
            statement.setString(i++, customer.email());
            statement.setString(i++, customer.taxId());
            i = bindAddress(statement, i, customer.billingAddress());
            i = bindAddress(statement, i, customer.shippingAddress());
            statement.setString(i++, customer.currency() == null ? null : customer.currency().getCurrencyCode());
            statement.setString(i++, customer.documentLocale() == null ? null : customer.documentLocale().toLanguageTag());
            statement.setString(i++, customer.timezone().getId());
            statement.setString(i++, customer.phone());
            statement.setString(i++, customer.tenantId());
            statement.setString(i, customer.id());
            return statement.executeUpdate();
        }
    }

    private static int bindAddress(PreparedStatement statement, int i, Address address) throws SQLException {
        statement.setString(i, address.line1());
        statement.setString(i + 1, address.line2());
        statement.setString(i + 2, address.city());
        statement.setString(i + 3, address.state());
        statement.setString(i + 4, address.zipcode());
        statement.setString(i + 5, address.country());
        return i + 6;
    }

    /**
     * The customer columns of table alias {@code alias}, in the order {@link #customer(ResultSet, int)} reads them: for
     * a query that reads a customer alongside another table's row.
     */
    static String columnsOf(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS.split(",")) {
            columns.append(columns.isEmpty() ? "" : ", ").append(alias).append('.').append(column.strip());
        }
        return columns.toString();
    }

    /**
     * The customer of the current row, read by position from the {@link #COLUMNS} starting at {@code first} (by
     * position because H2 searches the columns for every lookup by name); null when its id is null (a left join that
     * found no customer: the column is NOT NULL in the table).
     */
    static Customer customer(ResultSet rows, int first) throws SQLException {
        String id = rows.getString(first + 1);
        if (id == null) {
            return null;
        }
        String currency = rows.getString(first + 19);
        String locale = rows.getString(first + 20);
        return new Customer(id, rows.getString(first + 2), rows.getString(first),
                rows.getString(first + 3), rows.getString(first + 4), rows.getString(first + 5),
                rows.getString(first + 6), address(rows, first + 7), address(rows, first + 13),
                currency == null ? null : Money.currency(currency),
                locale == null ? null : Locale.forLanguageTag(locale), ZoneId.of(rows.getString(first + 21)),
                rows.getString(first + 22));
    }

    private static Customer customer(ResultSet rows) throws SQLException {
        return customer(rows, 1);
    }

    /** The six address columns from {@code first}: line1, line2, city, state, zipcode, country. */
    private static Address address(ResultSet rows, int first) throws SQLException {
        return new Address(rows.getString(first), rows.getString(first + 1), rows.getString(first + 2),
                rows.getString(first + 3), rows.getString(first + 4), rows.getString(first + 5));
    }
}
