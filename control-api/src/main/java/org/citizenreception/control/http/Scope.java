package org.citizenreception.control.http;

/**
 * The object half of a route's access rule: whose objects a caller holding one of the route's roles
 * may reach through it. The routes table gives every route one; the OpenAPI document repeats it as
 * {@code x-scope}.
 */
public enum Scope {
    /** Anyone, signed in or not (health, metrics, the API document, sign-in). */
    PUBLIC,
    /** The caller's own account or sign-in (who am I, sign out). */
    SELF,
    /** The province's shared directory and administration: the role alone decides (accounts, rooms, audit, schedules). */
    PROVINCE,
    /**
     * The caller's unit's area and the sessions assigned to them; a list answers only with those, a
     * single object outside them is 403. Rooms reach only their own room's objects, join tokens none.
     */
    UNIT,
    /**
     * The session in the path: its staff (presiding host, assigned secretaries, staff whose unit's
     * area holds the hosting room, administrators) and the rooms invited to it (a join token only
     * for the session it was issued for).
     */
    SESSION,
    /** As {@link #SESSION}, and the change is the presiding host's alone (refusals audited). */
    SESSION_HOST,
    /** As {@link #SESSION}, and a room acts only for the room in the path. */
    ROOM,
    /** A media endpoint: as {@link #SESSION}, and only its opener or the session's host may change or end it. */
    ENDPOINT,
    /**
     * A media bridge's own calls (registration, heartbeat, events): no user and no role, a token
     * signed with the shared bridge secret naming the bridge in the path (see {@code BridgeToken}).
     */
    BRIDGE
}
