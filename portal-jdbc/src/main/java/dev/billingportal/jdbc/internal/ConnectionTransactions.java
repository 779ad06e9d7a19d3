package dev.billingportal.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How {@link JdbcExecutor} runs work on one connection outside a unit of work: on the host's connection without ever
 * taking over its transaction, or on a connection of the store's own with commit, rollback and the auto-commit mode
 * put back, and what it does when a rollback itself fails. Not API.
 */
final class ConnectionTransactions {
    /** JdbcExecutor's logger: the executor's connection handling logs under one name. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcExecutor.class);

    private ConnectionTransactions() {
    }

    /**
     * The host owns the transaction: never commit, roll back, close or leave its auto-commit changed. The one
     * exception: when our own transaction on a connection handed over in auto-commit mode fails and cannot be rolled
     * back, auto-commit stays off, because switching it back on would commit the half-done transaction.
     */
    static <T> T runJoined(Connection connection, boolean transactional, JdbcExecutor.Work<T> work) throws SQLException {
        if (!transactional || !connection.getAutoCommit()) {
            return work.run(connection);
        }
        // Auto-commit mode means no host transaction: make our statements atomic, then put the mode back.
        connection.setAutoCommit(false);
        boolean restore = true;
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            restore = rollbackQuietly(connection, e);
            throw e;
        } finally {
            if (restore) {
                restoreAutoCommit(connection);
            }
        }
    }

    static <T> T runOwn(DataSource dataSource, boolean transactional, JdbcExecutor.Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (transactional && autoCommit) {
                connection.setAutoCommit(false);
            }
            boolean inTransaction = transactional || !autoCommit;
            boolean restore = transactional && autoCommit;
            try {
                T result = work.run(connection);
                if (inTransaction) {
                    connection.commit();
                }
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                if (inTransaction && !rollbackQuietly(connection, e)) {
                    // The transaction may still be open on a live connection: turning auto-commit back on would commit
                    // it half done, and closing would give it back to the pool as it is. Abort the connection instead:
                    // the server then rolls the transaction back.
                    abortQuietly(connection, e);
                    restore = false;
                }
                throw e;
            } finally {
                if (restore) {
                    restoreAutoCommit(connection);
                }
            }
        }
    }

    /** Rolls back; false when that failed, so the transaction may still be open. */
    static boolean rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
            return true;
        } catch (SQLException | RuntimeException e) {
            // A dead connection cannot roll back; the server does when it notices. The first failure is the news.
            failure.addSuppressed(RedactedSqlException.of(e instanceof SQLException sql ? sql : new SQLException(e)));
            return false;
        }
    }

    static void abortQuietly(Connection connection, Throwable failure) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(RedactedSqlException.of(e instanceof SQLException sql ? sql : new SQLException(e)));
        }
    }

    static void restoreAutoCommit(Connection connection) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not restore auto-commit on a connection (SQLState {})",
                    e instanceof SQLException sql ? sql.getSQLState() : null);
        }
    }
}
