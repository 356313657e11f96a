package org.citizenreception.control.floor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionAccess;
import org.citizenreception.control.session.SessionLifecycleListener;
import org.citizenreception.control.session.SessionRepository;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand queue and the floor of live sessions. The floor is one room at a time: granting it to
 * a room takes it from the room that had it (a revoke, then a grant, for the media side).
 */
public final class FloorService implements SessionLifecycleListener {
    private static final Logger log = LoggerFactory.getLogger(FloorService.class);

    /** A raised hand, in queue order. */
    public record Hand(String roomCode, Instant raisedAt) {
    }

    /** The floor and the queue as the host's console shows them. */
    public record Floor(long sessionId, String floorRoomCode, List<Hand> queue) {
    }

    private final Database database;
    private final AuditLog audit;
    private final SessionRepository sessions;
    private final EventBus events;
    private final Clock clock;
    private final SessionAccess access;
    private final List<FloorListener> listeners = new CopyOnWriteArrayList<>();

    public FloorService(Database database, AuditLog audit, SessionRepository sessions, SessionAccess access, EventBus events,
                        Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sessions = sessions;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /** Only the session's host moves the floor; a refusal is audited (outside the transaction it would roll back). */
    private void requireHost(Principal actor, String remote, long sessionId, String action) {
        ReceptionSession s = Transactions.read(database, c -> sessions.find(c, sessionId))
                .orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
        access.requireHost(actor, s, remote, action);
    }

    public void addListener(FloorListener listener) {
        listeners.add(listener);
    }

    public Floor floor(long sessionId) {
        return Transactions.read(database, c -> {
            ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
            return new Floor(sessionId, s.floorRoomCode(), queue(c, sessionId));
        });
    }

    /** A room asks for the floor; raising an already raised hand keeps its place. */
    public Floor raise(Principal actor, String remote, long sessionId, String roomCode) {
        Authentication.requireRoom(actor, roomCode);
        return Transactions.inTransaction(database, c -> {
            requireLiveAndInvited(c, sessionId, roomCode);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_hands (session_id, room_code, raised_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (session_id, room_code) DO NOTHING")) {
                ps.setLong(1, sessionId);
                ps.setString(2, roomCode);
                ps.setString(3, clock.instant().toString());
                ps.executeUpdate();
            }
            audit.record(c, actor, remote, "floor.hand.raise", "session", String.valueOf(sessionId), Map.of("room", roomCode));
            return changed(c, sessionId, "hand.raised", roomCode);
        });
    }

    public Floor lower(Principal actor, String remote, long sessionId, String roomCode) {
        Authentication.requireRoom(actor, roomCode);
        return Transactions.inTransaction(database, c -> {
            sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
            deleteHand(c, sessionId, roomCode);
            audit.record(c, actor, remote, "floor.hand.lower", "session", String.valueOf(sessionId), Map.of("room", roomCode));
            return changed(c, sessionId, "hand.lowered", roomCode);
        });
    }

    /** The host gives the floor to {@code roomCode}; its hand leaves the queue. */
    public Floor grant(Principal actor, String remote, long sessionId, String roomCode) {
        requireHost(actor, remote, sessionId, "floor.grant");
        return Transactions.inTransaction(database, c -> {
            ReceptionSession s = requireLiveAndInvited(c, sessionId, roomCode);
            if (roomCode.equals(s.hostRoomCode())) {
                throw DomainErrors.invalid("roomCode", "the hosting room is always on stage; give the floor to another room");
            }
            String previous = s.floorRoomCode();
            if (roomCode.equals(previous)) {
                return new Floor(sessionId, previous, queue(c, sessionId));
            }
            sessions.setFloor(c, sessionId, roomCode);
            deleteHand(c, sessionId, roomCode);
            audit.record(c, actor, remote, "floor.grant", "session", String.valueOf(sessionId),
                    previous == null ? Map.of("room", roomCode) : Map.of("room", roomCode, "previous", previous));
            String id = String.valueOf(sessionId);
            Transactions.afterCommit(() -> {
                if (previous != null) {
                    notify(l -> l.floorRevoked(id, previous));
                }
                notify(l -> l.floorGranted(id, roomCode));
            });
            return changed(c, sessionId, "floor.granted", roomCode);
        });
    }

    /** The host takes the floor back; nobody but the hosting room is on stage. */
    public Floor revoke(Principal actor, String remote, long sessionId) {
        requireHost(actor, remote, sessionId, "floor.revoke");
        return Transactions.inTransaction(database, c -> {
            ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
            String previous = s.floorRoomCode();
            if (previous == null) {
                return new Floor(sessionId, null, queue(c, sessionId));
            }
            clearFloor(c, sessionId, previous);
            audit.record(c, actor, remote, "floor.revoke", "session", String.valueOf(sessionId), Map.of("room", previous));
            return changed(c, sessionId, "floor.revoked", previous);
        });
    }

    /** A session that stops being live gives up its floor and forgets its hands. */
    @Override
    public void sessionStateChanged(Connection c, ReceptionSession before, SessionState after) throws SQLException {
        if (after == SessionState.LIVE) {
            return;
        }
        if (before.floorRoomCode() != null) {
            clearFloor(c, before.id(), before.floorRoomCode());
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM session_hands WHERE session_id = ?")) {
            ps.setLong(1, before.id());
            ps.executeUpdate();
        }
    }

    private void clearFloor(Connection c, long sessionId, String previous) throws SQLException {
        sessions.setFloor(c, sessionId, null);
        String id = String.valueOf(sessionId);
        Transactions.afterCommit(() -> notify(l -> l.floorRevoked(id, previous)));
    }

    private ReceptionSession requireLiveAndInvited(Connection c, long sessionId, String roomCode) throws SQLException {
        ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
        if (!sessions.isInvited(c, sessionId, roomCode)) {
            throw DomainErrors.notFound("room " + roomCode + " in session " + sessionId);
        }
        if (s.state() != SessionState.LIVE) {
            throw DomainErrors.conflict("session " + sessionId + " is " + s.state() + "; the floor exists only while it is LIVE");
        }
        return s;
    }

    private Floor changed(Connection c, long sessionId, String type, String roomCode) throws SQLException {
        ReceptionSession s = sessions.find(c, sessionId).orElseThrow();
        Floor floor = new Floor(sessionId, s.floorRoomCode(), queue(c, sessionId));
        events.publishAfterCommit(LiveEvent.everyone(sessionId, type, Map.of("room", roomCode, "floor", floor)));
        return floor;
    }

    private static void deleteHand(Connection c, long sessionId, String roomCode) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM session_hands WHERE session_id = ? AND room_code = ?")) {
            ps.setLong(1, sessionId);
            ps.setString(2, roomCode);
            ps.executeUpdate();
        }
    }

    private static List<Hand> queue(Connection c, long sessionId) throws SQLException {
        List<Hand> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT room_code, raised_at FROM session_hands WHERE session_id = ? "
                + "ORDER BY raised_at, rowid")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Hand(rs.getString(1), Instant.parse(rs.getString(2))));
                }
            }
        }
        return out;
    }

    private void notify(java.util.function.Consumer<FloorListener> call) {
        for (FloorListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.error("a floor listener failed; the floor change itself is committed", e);
            }
        }
    }
}
