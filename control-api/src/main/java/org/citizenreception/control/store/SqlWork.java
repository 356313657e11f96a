package org.citizenreception.control.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of database work run by {@link Transactions} on a connection it owns. The work must not
 * commit, roll back, close the connection or keep it after returning.
 *
 * @param <T> what the work returns (use {@code Void} and return {@code null} for none)
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
