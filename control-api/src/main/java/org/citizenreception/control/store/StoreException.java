package org.citizenreception.control.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A database failure, unchecked so that services need not declare it. The transaction it ended
 * has been rolled back when this is thrown. {@link org.citizenreception.control.http} maps it to
 * 500 unless the caller turns a {@link #isConstraintViolation() constraint violation} into a
 * domain error first.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }

    /** A UNIQUE, FOREIGN KEY, CHECK or NOT NULL constraint refused the change. */
    public boolean isConstraintViolation() {
        return isConstraintViolation(sqlException());
    }

    public static boolean isConstraintViolation(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().code == SQLiteErrorCode.SQLITE_CONSTRAINT.code
                    || sqlite.getResultCode().name().startsWith("SQLITE_CONSTRAINT");
        }
        // SQLSTATE class 23 is "integrity constraint violation" in every standard driver (PostgreSQL).
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
