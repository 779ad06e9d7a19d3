package dev.billingportal.jdbc;

import dev.billingportal.core.CustomerRef;
import dev.billingportal.core.PortalException;
import dev.billingportal.jdbc.internal.SqlStates;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The newcomer's frictions with storage set-up, on H2 (the other databases' missing-table and old-schema messages
 * are in {@link SchemaErrorSuite}, run on each): the in-memory H2 database that vanished with its last connection,
 * the warning that predicts it, connection failures, and what each SQLState is called.
 */
class SchemaErrorMessagesTest {

    @Test
    void anEmptyH2DatabaseSays42S04AndPointsAtDbCloseDelay() {
        JdbcDataSource empty = h2("jdbc:h2:mem:empty-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcPortalStore store = JdbcPortalStore.builder(empty).build();

        PortalException e = catchThrowableOfType(PortalException.class,
                () -> store.customers().findByExternalId(CustomerRef.of("nobody")));

        assertThat(e.getMessage()).contains("SQLState 42S04: table not found, and the database is empty")
                .contains("PortalSchema.migrate(dataSource, \"portal_\")").contains("DB_CLOSE_DELAY=-1");
        assertThat(e.getCause().getMessage()).contains("vendor code 42104").doesNotContainIgnoringCase("select");
    }

    @Test
    void migrateWarnsAboutAnInMemoryH2DatabaseThatDiesWithItsLastConnection() {
        String name = "vanishing-" + UUID.randomUUID();
        String log = stderrOf(() -> PortalSchema.migrate(h2("jdbc:h2:mem:" + name + ";MODE=PostgreSQL")));

        assertThat(log).contains("WARN dev.billingportal.jdbc.PortalSchema")
                .contains("the in-memory H2 database '" + name + "' has no DB_CLOSE_DELAY=-1")
                .doesNotContain("MODE=");
        // And what it warns about happens: the last connection closed, the tables went with it.
        PortalException later = catchThrowableOfType(PortalException.class, () -> JdbcPortalStore
                .builder(h2("jdbc:h2:mem:" + name)).build().customers().findByExternalId(CustomerRef.of("nobody")));
        assertThat(later.getMessage()).contains("42S04");

        String kept = stderrOf(() -> PortalSchema.migrate(h2("jdbc:h2:mem:kept-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")));
        assertThat(kept).contains("applied V1__portal.sql").doesNotContain("DB_CLOSE_DELAY");
        String shortDelay = stderrOf(() -> PortalSchema.migrate(h2("jdbc:h2:mem:short-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=5")));
        assertThat(shortDelay).contains("has no DB_CLOSE_DELAY=-1");
    }

    @Test
    void theWarningTextNamesOnlyTheDatabase() {
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:h2:mem:portal", null)).contains("'portal'")
                .contains("add ;DB_CLOSE_DELAY=-1");
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:h2:mem:portal;USER=sa;PASSWORD=s3cret", "10"))
                .as("a delay other than -1 still drops it").contains("'portal'").doesNotContain("s3cret");
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:h2:mem:", "-1")).contains("private to each connection");
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:h2:mem:portal", "-1")).isNull();
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:h2:file:./data/portal", null)).isNull();
        assertThat(PortalSchema.inMemoryH2Warning("jdbc:postgresql://db/portal", null)).isNull();
        assertThat(PortalSchema.inMemoryH2Warning(null, null)).isNull();
    }

    @Test
    void aConnectionFailureSaysSo() {
        DataSource unreachable = new FailingDataSource(new SQLNonTransientConnectionException("refused", "08001"));
        PortalException e = catchThrowableOfType(PortalException.class, () -> JdbcPortalStore.builder(unreachable).build());
        assertThat(e.getMessage()).contains("SQLState 08001: connection failure: the database cannot be reached");

        DataSource wrongPassword = new FailingDataSource(new SQLException("password authentication failed", "28P01"));
        PortalException auth = catchThrowableOfType(PortalException.class, () -> PortalSchema.migrate(wrongPassword));
        assertThat(auth.getMessage()).contains("SQLState 28P01: authorization failed");
    }

    @Test
    void sqlStatesInWords() {
        assertThat(SqlStates.explain("42P01", "billing_")).startsWith("table not found: run PortalSchema.migrate(dataSource, \"billing_\")");
        assertThat(SqlStates.explain("42S02", null)).contains("PortalSchema.migrate(dataSource, \"<prefix>\")");
        assertThat(SqlStates.explain("42501", null)).startsWith("insufficient privilege");
        assertThat(SqlStates.explain("40P01", null)).contains("retry");
        assertThat(SqlStates.explain("08006", null)).startsWith("connection failure");
        assertThat(SqlStates.explain("3D000", null)).startsWith("database does not exist");
        assertThat(SqlStates.explain("23505", null)).as("integrity violations are CONFLICT, worded elsewhere").isNull();
        assertThat(SqlStates.explain(null, null)).isNull();
        assertThat(SqlStates.describe("XX000", null)).isEqualTo("SQLState XX000");
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        return dataSource;
    }

    /** What slf4j-simple writes (to System.err, looked up on every line) while {@code action} runs. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A data source whose every connection attempt fails with {@code failure}. */
    private record FailingDataSource(SQLException failure) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw failure;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw failure;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
