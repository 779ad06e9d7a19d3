package dev.billingportal.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source whose connection dies on the Nth statement it executes, as when the network or the server goes
 * away mid-transaction: the server rolls back what the transaction did, and every later call on the connection
 * fails with SQLState 08006.
 */
final class DyingDataSource {
    private DyingDataSource() {
    }

    /** {@code real}, but the {@code n}th statement executed (counting from 1, over all connections) and every later one kill their connection. */
    static DataSource dyingOnStatement(DataSource real, int n) {
        AtomicInteger executed = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof Connection connection) {
                        return new Link(connection, executed, n).connection();
                    }
                    return result;
                });
    }

    /** A connection and its statements, alive until the fatal statement. */
    private static final class Link {
        private final Connection real;
        private final AtomicInteger executed;
        private final int fatal;
        private volatile boolean dead;

        Link(Connection real, AtomicInteger executed, int fatal) {
            this.real = real;
            this.executed = executed;
            this.fatal = fatal;
        }

        Connection connection() {
            return (Connection) proxy(Connection.class, real, (proxy, method, args) -> {
                String name = method.getName();
                if (dead) {
                    if (name.equals("close")) {
                        return null;
                    }
                    if (name.equals("isClosed")) {
                        return true;
                    }
                    throw lost();
                }
                Object result = invoke(real, method, args);
                if (result instanceof Statement statement) {
                    Class<?> type = method.getReturnType();
                    return proxy(type, statement, (p, m, a) -> {
                        if (dead) {
                            throw lost();
                        }
                        if (m.getName().startsWith("execute") && executed.incrementAndGet() >= fatal) {
                            die();
                            throw lost();
                        }
                        return invoke(statement, m, a);
                    });
                }
                return result;
            });
        }

        /** What a server does when its client vanishes: roll back, drop the session. */
        private void die() {
            dead = true;
            try {
                if (!real.getAutoCommit()) {
                    real.rollback();
                }
                real.close();
            } catch (SQLException e) {
                // already as dead as it gets
            }
        }
    }

    private static SQLException lost() {
        return new SQLException("simulated: connection lost", "08006");
    }

    private static Object proxy(Class<?> type, Object target, InvocationHandler handler) {
        return Proxy.newProxyInstance(DyingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
