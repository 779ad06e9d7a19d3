package dev.billingportal.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A data source that fails at random, as networks and servers do, driven by a seeded {@link Random} so that a failing
 * run reproduces. While {@link #enable enabled}, each call that talks to the server may fail:
 *
 * <ul>
 *   <li>{@code getConnection} is refused;</li>
 *   <li>a statement times out before it runs (the connection lives on);</li>
 *   <li>the connection drops before a statement runs, or <em>after</em> it ran but before its answer arrived: the
 *       server rolls back an open transaction, and in auto-commit mode the statement's effect stays;</li>
 *   <li>a commit fails before or after the server committed (the connection drops), or times out either way (it
 *       lives on);</li>
 *   <li>a rollback fails with the connection dropping, or times out leaving the transaction open on a live
 *       connection;</li>
 *   <li>a savepoint or an auto-commit switch fails with the connection dropping;</li>
 *   <li>the database reports a deadlock before a statement runs (a retryable failure).</li>
 * </ul>
 *
 * <p>A dropped connection behaves as a dead one: every later call on it fails with SQLState 08006.
 */
final class FaultyDataSource {
    /** The faults it injects. */
    enum Fault {
        CONNECT_REFUSED, TIMEOUT_BEFORE, DROP_BEFORE, DROP_AFTER, DEADLOCK_BEFORE, COMMIT_DROPPED_BEFORE,
        COMMIT_DROPPED_AFTER, COMMIT_TIMEOUT_BEFORE, COMMIT_TIMEOUT_AFTER, ROLLBACK_DROPPED, ROLLBACK_TIMEOUT, CONTROL_DROPPED
    }

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");
    private static final Set<String> CONTROL = Set.of("setAutoCommit", "setSavepoint", "releaseSavepoint");

    private final DataSource real;
    private final Random random;
    private final DataSource dataSource;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private volatile double rate;

    FaultyDataSource(DataSource real, Random random) {
        this.real = real;
        this.random = random;
        this.dataSource = (DataSource) proxy(DataSource.class, (p, method, args) -> {
            if (method.getName().equals("getConnection") && roll(Fault.CONNECT_REFUSED)) {
                throw new SQLTransientConnectionException("simulated: connection refused", "08001");
            }
            Object result = invoke(real, method, args);
            return result instanceof Connection connection ? new Link(connection).proxy : result;
        });
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Each call that talks to the server fails with probability {@code rate}. */
    void enable(double rate) {
        this.rate = rate;
    }

    void disable() {
        this.rate = 0;
    }

    synchronized Map<Fault, Integer> injected() {
        return Map.copyOf(injected);
    }

    /** Whether this call fails; the fault kind is drawn among those that fit the call. */
    private synchronized boolean roll(Fault... candidates) {
        return pick(1, candidates) != null;
    }

    private synchronized Fault pick(Fault... candidates) {
        return pick(1, candidates);
    }

    /** A fault among {@code candidates} with {@code weight} times the rate (rare calls fail more often, to be seen). */
    private synchronized Fault pick(double weight, Fault... candidates) {
        if (rate == 0 || random.nextDouble() >= rate * weight) {
            return null;
        }
        Fault fault = candidates[random.nextInt(candidates.length)];
        injected.merge(fault, 1, Integer::sum);
        return fault;
    }

    /** One connection, and whether it dropped. */
    private final class Link {
        final Connection connection;
        final Connection proxy;
        volatile boolean dead;

        Link(Connection connection) {
            this.connection = connection;
            this.proxy = (Connection) proxy(Connection.class, this::onConnection);
        }

        private Object onConnection(Object p, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (dead) {
                return switch (name) {
                    case "close" -> null;
                    case "isClosed" -> true;
                    case "isValid" -> false;
                    default -> throw dropped();
                };
            }
            switch (name) {
                case "commit" -> {
                    Fault fault = pick(2, Fault.COMMIT_DROPPED_BEFORE, Fault.COMMIT_DROPPED_AFTER,
                            Fault.COMMIT_TIMEOUT_BEFORE, Fault.COMMIT_TIMEOUT_AFTER);
                    if (fault == Fault.COMMIT_DROPPED_BEFORE) {
                        drop();
                        throw dropped();
                    }
                    if (fault == Fault.COMMIT_TIMEOUT_BEFORE) {
                        throw timeout();
                    }
                    connection.commit();
                    if (fault == Fault.COMMIT_DROPPED_AFTER) {
                        drop();
                        throw dropped();
                    }
                    if (fault == Fault.COMMIT_TIMEOUT_AFTER) {
                        throw timeout();
                    }
                    return null;
                }
                case "rollback" -> {
                    Fault fault = pick(6, Fault.ROLLBACK_DROPPED, Fault.ROLLBACK_TIMEOUT);
                    if (fault == Fault.ROLLBACK_DROPPED) {
                        drop();
                        throw dropped();
                    }
                    if (fault == Fault.ROLLBACK_TIMEOUT) {
                        throw timeout(); // the transaction stays open on a live connection
                    }
                }
                default -> {
                    if (CONTROL.contains(name) && roll(Fault.CONTROL_DROPPED)) {
                        drop();
                        throw dropped();
                    }
                }
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement) {
                return proxy(method.getReturnType(), (sp, m, a) -> onStatement(statement, m, a));
            }
            return result;
        }

        private Object onStatement(Statement statement, Method method, Object[] args) throws Throwable {
            if (dead) {
                throw dropped();
            }
            if (!EXECUTE.contains(method.getName())) {
                return invoke(statement, method, args);
            }
            Fault fault = pick(Fault.TIMEOUT_BEFORE, Fault.DROP_BEFORE, Fault.DROP_AFTER, Fault.DEADLOCK_BEFORE);
            if (fault == Fault.TIMEOUT_BEFORE) {
                throw timeout();
            }
            if (fault == Fault.DEADLOCK_BEFORE) {
                throw new SQLException("simulated: deadlock detected", "40001");
            }
            if (fault == Fault.DROP_BEFORE) {
                drop();
                throw dropped();
            }
            Object result = invoke(statement, method, args);
            if (fault == Fault.DROP_AFTER) {
                drop();
                throw dropped();
            }
            return result;
        }

        /** What the server does when its client vanishes: roll back an open transaction, end the session. */
        private void drop() {
            dead = true;
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                // as dead as it gets
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // idem
                }
            }
        }
    }

    private static SQLException dropped() {
        return new SQLException("simulated: connection lost", "08006");
    }

    private static SQLTimeoutException timeout() {
        return new SQLTimeoutException("simulated: statement timed out", "57014");
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
