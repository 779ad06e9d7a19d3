package dev.billingportal.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A data source whose statements fail while their SQL matches a predicate: the database refuses that one statement
 * (SQLState 57014, as a cancelled statement), the connection and its transaction live on.
 */
final class FailingStatements {
    private final DataSource dataSource;
    private final AtomicInteger failed = new AtomicInteger();
    private volatile Predicate<String> failing = sql -> false;

    FailingStatements(DataSource real) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (p, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Statements whose SQL matches {@code sql} fail from now on. */
    void fail(Predicate<String> sql) {
        this.failing = sql;
    }

    /** No statement fails any more. */
    void heal() {
        this.failing = sql -> false;
    }

    /** How many statements were refused. */
    int failed() {
        return failed.get();
    }

    private Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (p, method, args) -> {
                    if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))
                            && args != null && args[0] instanceof String sql && failing.test(sql)) {
                        failed.incrementAndGet();
                        throw new SQLException("simulated: statement refused", "57014");
                    }
                    if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                        return invoke(real, method, args);
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
