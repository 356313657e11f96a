package org.citizenreception.control.identity;

/**
 * Something that withdraws access which open connections (an events WebSocket, a WHIP or WHEP
 * endpoint) were granted when they opened. Each connection remembers who opened it and for which
 * session; {@link #covers} tells whether this revocation ends it.
 *
 * @param closeCode the WebSocket close code the client sees: {@link #SIGNED_OUT} (the web client
 *                  shows "signed out" and stops), {@link #SESSION_CLOSED} (stops), or
 *                  {@link #ACCESS_CHANGED} (reconnect and be checked again)
 */
public record Revocation(Kind kind, long userId, String credential, long sessionId, String roomCode, int closeCode,
                         String reason) {
    public static final int SIGNED_OUT = 4401;
    public static final int ACCESS_CHANGED = 4409;
    public static final int SESSION_CLOSED = 4410;

    public enum Kind {
        /** One sign-in or join token ended (sign-out). */
        CREDENTIAL,
        /** Every sign-in of an account ended: disabled, deleted, role or unit changed, new password, signed out everywhere. */
        USER,
        /** The join tokens of one room in one session were revoked. */
        ROOM_TOKENS,
        /** The session ended or was cancelled: nothing more happens in it. */
        SESSION_CLOSED,
        /** The session's host or secretaries changed: its staff connections are checked again. */
        SESSION_STAFF
    }

    public static Revocation credential(String credential) {
        return new Revocation(Kind.CREDENTIAL, 0, credential, 0, null, SIGNED_OUT, "signed out");
    }

    public static Revocation user(long userId, String reason) {
        return new Revocation(Kind.USER, userId, null, 0, null, SIGNED_OUT, reason);
    }

    public static Revocation roomTokens(long sessionId, String roomCode) {
        return new Revocation(Kind.ROOM_TOKENS, 0, null, sessionId, roomCode, SIGNED_OUT, "join token revoked");
    }

    public static Revocation sessionClosed(long sessionId) {
        return new Revocation(Kind.SESSION_CLOSED, 0, null, sessionId, null, SESSION_CLOSED, "session closed");
    }

    public static Revocation sessionStaff(long sessionId) {
        return new Revocation(Kind.SESSION_STAFF, 0, null, sessionId, null, ACCESS_CHANGED, "session reassigned");
    }

    /** Whether a connection that {@code holder} opened for {@code connectionSessionId} must close. */
    public boolean covers(Principal holder, long connectionSessionId) {
        return switch (kind) {
            case CREDENTIAL -> credential != null && credential.equals(holder.credential());
            case USER -> holder.userId() > 0 && holder.userId() == userId;
            case ROOM_TOKENS -> connectionSessionId == sessionId && holder.userId() == 0
                    && holder.roomCode().map(roomCode::equals).orElse(false);
            case SESSION_CLOSED -> connectionSessionId == sessionId;
            case SESSION_STAFF -> connectionSessionId == sessionId && holder.roomCode().isEmpty() && holder.role() != Role.ADMIN;
        };
    }
}
