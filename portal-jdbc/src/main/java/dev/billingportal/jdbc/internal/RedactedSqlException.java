package dev.billingportal.jdbc.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * A stand-in for a driver's {@link SQLException} whose message may quote row data: H2 prints the failing
 * statement with its values, PostgreSQL the duplicate key. Session ids are as secret as the tokens that carry
 * them, so what a host logs must not hold them. It keeps the SQLState, vendor code, driver class and stack trace.
 */
public final class RedactedSqlException extends SQLException {
    private static final long serialVersionUID = 1L;

    private RedactedSqlException(SQLException original) {
        super(original.getClass().getName() + " [SQLState " + original.getSQLState() + ", vendor code "
                + original.getErrorCode() + meaning(original.getSQLState()) + "; driver message withheld, it may quote data]",
                original.getSQLState(), original.getErrorCode());
        setStackTrace(original.getStackTrace());
    }

    /** The SQLState in words (never data: it comes from the state alone), so a withheld message still says what failed. */
    private static String meaning(String sqlState) {
        String explanation = SqlStates.explain(sqlState, null);
        return explanation != null ? ": " + explanation : "";
    }

    /**
     * The failure to attach as a cause: connection failures as they are (their messages name hosts and
     * timeouts, not data), anything else redacted.
     *
     * @param e the driver's failure
     * @return a failure safe to log
     */
    public static SQLException of(SQLException e) {
        if (isConnectionFailure(e)) {
            return e;
        }
        return new RedactedSqlException(e);
    }

    /**
     * Whether {@code e} says the connection failed, rather than the statement.
     *
     * @param e the failure
     * @return true for SQLState class 08 and the JDBC connection exception types
     */
    public static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08")) || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException;
    }
}
