package dev.billingportal.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A data source that remembers the last query a repository ran, with its parameters, so a test can ask the
 * database for the plan of exactly that query.
 */
final class RecordingDataSource {
    private final DataSource dataSource;
    private volatile String lastSql;
    private volatile List<Object> lastParameters = List.of();

    RecordingDataSource(DataSource real) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return result instanceof Connection connection ? connection(connection) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The last query executed, its placeholders replaced by literals of the values bound. */
    String lastQueryWithLiterals() {
        StringBuilder sql = new StringBuilder();
        int parameter = 0;
        for (char ch : lastSql.toCharArray()) {
            if (ch == '?') {
                sql.append(literal(lastParameters.get(parameter++)));
            } else {
                sql.append(ch);
            }
        }
        return sql.toString();
    }

    private static String literal(Object value) {
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        if (value instanceof LocalDate date) {
            return "DATE '" + date + "'";
        }
        return String.valueOf(value);
    }

    private Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                        return statement((String) args[0], statement);
                    }
                    return result;
                });
    }

    private PreparedStatement statement(String sql, PreparedStatement real) {
        TreeMap<Integer, Object> parameters = new TreeMap<>();
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
                        parameters.put(i, args[1]);
                    } else if (method.getName().equals("executeQuery")) {
                        lastSql = sql;
                        lastParameters = new ArrayList<>(parameters.values());
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
