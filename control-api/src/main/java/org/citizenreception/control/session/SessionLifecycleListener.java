package org.citizenreception.control.session;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Told, inside the transaction that changes a session's state, so that dependent state (the floor,
 * hands, join tokens) changes atomically with it.
 */
public interface SessionLifecycleListener {
    void sessionStateChanged(Connection c, ReceptionSession before, SessionState after) throws SQLException;
}
