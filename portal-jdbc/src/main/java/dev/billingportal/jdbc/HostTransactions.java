package dev.billingportal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Lets repository calls join a transaction the host application manages, so that saving an invoice commits or
 * rolls back together with the host's own writes.
 *
 * <p>Before every repository operation the store asks for the connection of the host transaction active on the
 * calling thread. When there is one, the operation runs on it and the store never commits, rolls back, closes it
 * or changes its auto-commit mode: the host's commit makes the writes durable and its rollback undoes them. A
 * failure surfaces as {@code PortalException} and leaves the host's transaction for the host to roll back (on
 * PostgreSQL a failed statement aborts it anyway). When there is none (null), the store takes a connection
 * from its {@code DataSource} and runs each operation in a short transaction of its own.
 *
 * <p>If the connection handed out is in auto-commit mode, there is no host transaction to join: the store then
 * wraps multi-statement writes in a transaction of its own on that connection and restores auto-commit.
 *
 * <p>Implementations must be safe for concurrent use; they are typically a thread-local lookup, for example
 * {@code () -> currentUnitOfWork.get()}, or with Spring {@code () ->
 * TransactionSynchronizationManager.isActualTransactionActive() ? DataSourceUtils.getConnection(dataSource) : null}.
 */
@FunctionalInterface
public interface HostTransactions {

    /** Never joins: every operation runs in a transaction of the store's own. */
    HostTransactions NONE = () -> null;

    /**
     * The connection of the host transaction active on the calling thread.
     *
     * @return that connection, or null when no host transaction is active
     * @throws SQLException when the host cannot say; the operation then fails as {@code UNAVAILABLE}
     */
    Connection currentConnection() throws SQLException;
}
