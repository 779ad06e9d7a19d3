package dev.billingportal.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** SQL being assembled with its parameters, in order: the invoice search's conditions depend on the search. */
final class SqlQuery {
    private final StringBuilder sql;
    private final List<Object> parameters = new ArrayList<>();

    SqlQuery(String base) {
        this.sql = new StringBuilder(base.strip());
    }

    SqlQuery sql(String text) {
        sql.append(text);
        return this;
    }

    SqlQuery bind(Object value) {
        parameters.add(value);
        return this;
    }

    SqlQuery in(String column, List<String> values) {
        sql.append(" AND ").append(column).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            parameters.add(values.get(i));
        }
        sql.append(')');
        return this;
    }

    SqlQuery keyset(LocalDate date, String id) {
        parameters.add(new Keyset(date, id));
        return this;
    }

    /** The SQL as assembled so far. */
    String text() {
        return sql.toString();
    }

    void bindTo(PreparedStatement statement, Dialect dialect) throws SQLException {
        int index = 1;
        for (Object value : parameters) {
            if (value instanceof Keyset key) {
                index = dialect.bindKeyset(statement, index, key.date(), key.id());
            } else if (value instanceof String text) {
                statement.setString(index++, text);
            } else if (value instanceof Integer number) {
                statement.setInt(index++, number);
            } else {
                statement.setObject(index++, value);
            }
        }
    }

    /** The keyset placeholder, bound by the dialect. */
    private record Keyset(LocalDate date, String id) {
    }
}
