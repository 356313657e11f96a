package org.citizenreception.control.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SQL that differs between SQLite and PostgreSQL, in one place. Repositories write portable SQL
 * (both accept {@code ON CONFLICT ... DO NOTHING/UPDATE}, {@code RETURNING}, {@code LIMIT/OFFSET},
 * {@code substr}, {@code COALESCE}) and ask the dialect of their connection for the rest.
 */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** The dialect of the database behind {@code c} (the drivers answer from a constant, no round trip). */
    public static Dialect of(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
                ? POSTGRESQL : SQLITE;
    }

    /**
     * An expression comparable as a point in time, for ISO-8601 instants stored as text in
     * different precisions or offsets ({@code 2026-01-01T00:00:00Z} and {@code 2026-01-01T07:00+07:00}
     * are the same instant): SQLite's {@code julianday}, PostgreSQL's {@code timestamptz}.
     */
    public String instant(String textExpression) {
        return this == SQLITE ? "julianday(" + textExpression + ")" : "CAST(" + textExpression + " AS timestamptz)";
    }

    /** The values of a group joined by commas (as text), in no particular order; null for an empty group. */
    public String joinedWithCommas(String expression) {
        return this == SQLITE ? "group_concat(" + expression + ")" : "string_agg(CAST(" + expression + " AS TEXT), ',')";
    }

    /**
     * The operator of a pattern match that ignores ASCII case, as SQLite's {@code LIKE} does
     * (PostgreSQL's {@code LIKE} is case-sensitive; {@code ILIKE} is not).
     */
    public String likeIgnoringCase() {
        return this == SQLITE ? "LIKE" : "ILIKE";
    }
}
