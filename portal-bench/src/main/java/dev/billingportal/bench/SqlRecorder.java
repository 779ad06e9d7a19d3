package dev.billingportal.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that remembers the SQL of every statement prepared on its connections, so a benchmark can
 * check that its raw JDBC query is exactly the one the library runs.
 */
final class SqlRecorder {
    private final DataSource target;
    private final List<String> statements = new CopyOnWriteArrayList<>();

    SqlRecorder(DataSource target) {
        this.target = target;
    }

    /** The recording data source. */
    DataSource dataSource() {
        return proxy(DataSource.class, target, (method, args, result) -> result instanceof Connection c
                ? proxy(Connection.class, c, (m, a, r) -> {
                    if (m.getName().equals("prepareStatement")) {
                        statements.add((String) a[0]);
                    }
                    return r;
                })
                : result);
    }

    /** The SQL prepared so far, in order. */
    List<String> statements() {
        return List.copyOf(statements);
    }

    /** The last SQL prepared. */
    String last() {
        return statements.get(statements.size() - 1);
    }

    private interface AfterCall {
        Object apply(Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return after.apply(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(SqlRecorder.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
