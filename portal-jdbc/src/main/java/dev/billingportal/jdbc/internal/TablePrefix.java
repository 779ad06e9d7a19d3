package dev.billingportal.jdbc.internal;

import java.util.regex.Pattern;

/**
 * A validated table prefix and the SQL it is substituted into. The prefix is spliced into SQL text (identifiers
 * cannot be bound as parameters), so it is held to a strict identifier pattern before any SQL sees it.
 *
 * @param value the prefix, for example {@code portal_}
 */
public record TablePrefix(String value) {
    /** The placeholder in schema files and SQL text blocks, in Flyway's syntax. */
    public static final String PLACEHOLDER = "${table_prefix}";
    /** Lower-case, starts with a letter, at most 31 characters: short enough for every index name we derive. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,30}");

    /**
     * Validates the prefix.
     *
     * @throws IllegalArgumentException naming the {@code tablePrefix} setting when it does not match {@link #PATTERN}
     */
    public TablePrefix {
        if (value == null || !PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("tablePrefix must match " + PATTERN.pattern()
                    + " (lower-case letters, digits and underscores, starting with a letter, at most 31 characters)"
                    + (value == null ? ", was null" : ", was '" + value + "'"));
        }
    }

    /**
     * {@code sql} with every {@link #PLACEHOLDER} replaced by the prefix.
     *
     * @param sql SQL text
     * @return the SQL for this prefix
     */
    public String apply(String sql) {
        return sql.replace(PLACEHOLDER, value);
    }

    /**
     * A table name with this prefix.
     *
     * @param table the unprefixed name, such as {@code invoices}
     * @return for example {@code portal_invoices}
     */
    public String table(String table) {
        return value + table;
    }
}
