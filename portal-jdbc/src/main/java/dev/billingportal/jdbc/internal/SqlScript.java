package dev.billingportal.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an SQL script into statements at semicolons, leaving alone those inside quotes, quoted identifiers,
 * backticks and PostgreSQL dollar-quoted bodies ({@code DO $$ ... $$}), and dropping comments.
 */
public final class SqlScript {
    private SqlScript() {
    }

    /**
     * The statements of {@code script}, without their terminating semicolons; empty ones are left out.
     *
     * @param script the script
     * @return the statements, in order
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char ch = script.charAt(i);
            if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                int end = closingQuote(script, i, ch);
                current.append(script, i, end);
                i = end;
            } else if (ch == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int end = script.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
                current.append(script, i, end);
                i = end;
            } else if (ch == ';') {
                add(statements, current);
                i++;
            } else {
                current.append(ch);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }

    /** The index just after the quote closing the one at {@code start}; a doubled quote is an escaped one. */
    private static int closingQuote(String script, int start, char quote) {
        int i = start + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return script.length();
    }

    /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code start}, or null. */
    private static String dollarTag(String script, int start) {
        int i = start + 1;
        while (i < script.length() && (Character.isLetterOrDigit(script.charAt(i)) || script.charAt(i) == '_')) {
            i++;
        }
        if (i < script.length() && script.charAt(i) == '$'
                && (i == start + 1 || !Character.isDigit(script.charAt(start + 1)))) {
            return script.substring(start, i + 1);
        }
        return null;
    }
}
