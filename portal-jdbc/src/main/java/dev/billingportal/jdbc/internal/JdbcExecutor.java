package dev.billingportal.jdbc.internal;

import dev.billingportal.core.ErrorCode;
import dev.billingportal.core.PortalException;
import dev.billingportal.jdbc.HostTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs repository work on a connection: the host's transaction when it has one, otherwise a connection of the
 * store's own with a transaction around multi-statement work, retried when the database broke a deadlock.
 * Every {@link SQLException} leaves as {@link PortalException}: {@code CONFLICT} for SQLState class 23,
 * {@code UNAVAILABLE} otherwise, with a message that names the operation and never quotes SQL or data.
 *
 * <p>{@link #inTransaction} binds one connection to the calling thread for the duration of a unit of work: every
 * operation of this executor on that thread then runs on it, inside one transaction, and none commits on its own.
 */
public final class JdbcExecutor {
    /** Attempts of one operation whose transaction the database rolled back to break a deadlock. */
    static final int MAX_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcExecutor.class);

    private final DataSource primary;
    private final DataSource replica;
    private final HostTransactions host;
    private final Dialect dialect;
    private final String tablePrefix;
    /** The connection of the unit of work running on this thread ({@link #inTransaction}), or null. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    /** Work to run on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Runs on {@code connection}; must not commit, roll back or close it.
         *
         * @param connection the connection
         * @return the result
         * @throws SQLException from the driver
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * An executor.
     *
     * @param primary the database every write and most reads go to
     * @param replica where portal reads may go (the primary when there is no replica)
     * @param host    the host's transactions to join
     * @param dialect the database's dialect
     */
    public JdbcExecutor(DataSource primary, DataSource replica, HostTransactions host, Dialect dialect) {
        this(primary, replica, host, dialect, null);
    }

    /**
     * An executor whose error messages name the store's table prefix (so "table not found" says which tables to
     * migrate).
     *
     * @param primary     the database every write and most reads go to
     * @param replica     where portal reads may go (the primary when there is no replica)
     * @param host        the host's transactions to join
     * @param dialect     the database's dialect
     * @param tablePrefix the store's table prefix, or null
     */
    public JdbcExecutor(DataSource primary, DataSource replica, HostTransactions host, Dialect dialect,
                        String tablePrefix) {
        this.primary = primary;
        this.replica = replica;
        this.host = host;
        this.dialect = dialect;
        this.tablePrefix = tablePrefix;
    }

    /**
     * The dialect.
     *
     * @return the dialect SQL is written for
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * A read on the primary database (needed where a write must be seen at once, such as a revocation).
     *
     * @param operation what is being done, for error messages (no data)
     * @param work      the reads
     * @param <T>       the result type
     * @return the result
     */
    public <T> T read(String operation, Work<T> work) {
        return run(operation, null, primary, false, work);
    }

    /**
     * A read that may go to the read replica.
     *
     * @param operation what is being done, for error messages (no data)
     * @param work      the reads
     * @param <T>       the result type
     * @return the result
     */
    public <T> T readReplica(String operation, Work<T> work) {
        return run(operation, null, replica, false, work);
    }

    /**
     * One write statement, atomic by itself.
     *
     * @param operation      what is being done, for error messages (no data)
     * @param conflictReason the {@link PortalException#reason()} of a unique violation
     * @param work           the statement
     * @param <T>            the result type
     * @return the result
     */
    public <T> T update(String operation, String conflictReason, Work<T> work) {
        return run(operation, conflictReason, primary, false, work);
    }

    /**
     * Several statements in one transaction: all or nothing.
     *
     * @param operation      what is being done, for error messages (no data)
     * @param conflictReason the {@link PortalException#reason()} of a unique violation
     * @param work           the statements
     * @param <T>            the result type
     * @return the result
     */
    public <T> T transaction(String operation, String conflictReason, Work<T> work) {
        return run(operation, conflictReason, primary, true, work);
    }

    /**
     * Whether a unit of work of {@link #inTransaction} runs on the calling thread.
     *
     * @return true inside {@link #inTransaction}
     */
    public boolean inUnitOfWork() {
        return bound.get() != null;
    }

    /**
     * Whether a read on the calling thread would run in a transaction: a unit of work of {@link #inTransaction} or a
     * host transaction. Such a read may see uncommitted writes, so caches must not keep it.
     *
     * @return true inside either (and when the host cannot tell)
     */
    public boolean inAnyTransaction() {
        if (bound.get() != null) {
            return true;
        }
        try {
            return host.currentConnection() != null;
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Runs {@code work} as one transaction: every operation of this executor that {@code work} does on this thread
     * runs on one connection; committed when {@code work} returns, rolled back when it throws (rethrown unchanged).
     * A nested call joins the outer one. With a host transaction active, the work joins it and the host commits; a
     * host connection in auto-commit mode gets a transaction of the store's own, as {@link HostTransactions} says.
     *
     * @param work the unit of work
     * @param <T>  its result
     * @return its result
     */
    public <T> T inTransaction(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get();
        }
        String operation = "running a portal transaction";
        Connection joined;
        try {
            joined = host.currentConnection();
        } catch (SQLException e) {
            throw translate(operation, null, e);
        }
        if (joined != null) {
            try {
                if (!joined.getAutoCommit()) {
                    return bound(joined, work); // the host commits or rolls back
                }
            } catch (SQLException e) {
                throw translate(operation, null, e);
            }
            return ownTransaction(operation, joined, false, work);
        }
        Connection connection;
        try {
            connection = primary.getConnection();
        } catch (SQLException e) {
            throw translate(operation, null, e);
        }
        return ownTransaction(operation, connection, true, work);
    }

    private <T> T bound(Connection connection, Supplier<T> work) {
        bound.set(connection);
        try {
            return work.get();
        } finally {
            bound.remove();
        }
    }

    /**
     * A transaction of the store's own on {@code connection}: commit or roll back, then put auto-commit back, unless
     * the rollback failed: then switching auto-commit on would commit the half-done work, so it stays off and a
     * connection of the store's own is aborted (the server rolls back).
     */
    private <T> T ownTransaction(String operation, Connection connection, boolean close, Supplier<T> work) {
        boolean restore = false;
        boolean usable = true;
        try {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
                restore = true;
            }
            T result;
            try {
                result = bound(connection, work);
            } catch (RuntimeException | Error e) {
                if (!ConnectionTransactions.rollbackQuietly(connection, e)) {
                    usable = false;
                    if (close) {
                        // only our own: the host's connection is the host's to drop
                        ConnectionTransactions.abortQuietly(connection, e);
                    }
                }
                throw e;
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                if (!ConnectionTransactions.rollbackQuietly(connection, e)) {
                    usable = false;
                    if (close) {
                        // only our own: the host's connection is the host's to drop
                        ConnectionTransactions.abortQuietly(connection, e);
                    }
                }
                throw translate(operation, null, e);
            }
            return result;
        } catch (SQLException e) {
            // getAutoCommit/setAutoCommit failed before any work ran
            throw translate(operation, null, e);
        } finally {
            if (restore && usable) {
                ConnectionTransactions.restoreAutoCommit(connection);
            }
            if (close) {
                try {
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("could not close a connection (SQLState {})",
                            e instanceof SQLException sql ? sql.getSQLState() : null);
                }
            }
        }
    }

    private <T> T run(String operation, String conflictReason, DataSource dataSource, boolean transactional, Work<T> work) {
        Connection inUnit = bound.get();
        if (inUnit != null) {
            // Inside a unit of work: its transaction makes multi-statement work atomic; nothing commits here.
            try {
                return work.run(inUnit);
            } catch (SQLException e) {
                throw translate(operation, conflictReason, e);
            }
        }
        Connection joined;
        try {
            joined = host.currentConnection();
        } catch (SQLException e) {
            throw translate(operation, conflictReason, e);
        }
        if (joined != null) {
            try {
                return ConnectionTransactions.runJoined(joined, transactional, work);
            } catch (SQLException e) {
                throw translate(operation, conflictReason, e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return ConnectionTransactions.runOwn(dataSource, transactional, work);
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && dialect.isRetryable(e)) {
                    LOG.debug("{}: the database rolled the transaction back (SQLState {}), attempt {} of {}",
                            operation, e.getSQLState(), attempt, MAX_ATTEMPTS);
                    // a short random pause lets the transaction that won the deadlock finish first
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(
                            ThreadLocalRandom.current().nextLong(100, 1_000L * attempt)));
                    continue;
                }
                throw translate(operation, conflictReason, e);
            }
        }
    }

    /**
     * The {@link PortalException} for a driver failure: {@code CONFLICT} for integrity violations (SQLState class
     * 23), {@code UNAVAILABLE} for everything else. The message names the operation and the SQLState only.
     *
     * @param operation      what was being done
     * @param conflictReason the reason of a unique violation (null when none is expected)
     * @param e              the failure
     * @return the exception to throw
     */
    public PortalException translate(String operation, String conflictReason, SQLException e) {
        SQLException cause = RedactedSqlException.of(e);
        String state = e.getSQLState();
        if (dialect.isForeignKeyViolation(e)) {
            return new PortalException(ErrorCode.CONFLICT, "customer_not_found", operation
                    + " refused: the customer it belongs to is not stored (save the customer first)", Map.of(), cause);
        }
        if (dialect.isUniqueViolation(e) || (state != null && state.startsWith("23"))) {
            return new PortalException(ErrorCode.CONFLICT, conflictReason != null ? conflictReason : "conflict",
                    operation + " refused: it collides with stored data (SQLState " + state + ")", Map.of(), cause);
        }
        return PortalException.unavailable("storage unavailable: " + operation + " failed ("
                + SqlStates.describe(state, tablePrefix) + ")", cause);
    }
}
