package org.citizenreception.control;

import static org.citizenreception.control.http.Scope.BRIDGE;
import static org.citizenreception.control.http.Scope.ENDPOINT;
import static org.citizenreception.control.http.Scope.PROVINCE;
import static org.citizenreception.control.http.Scope.PUBLIC;
import static org.citizenreception.control.http.Scope.ROOM;
import static org.citizenreception.control.http.Scope.SELF;
import static org.citizenreception.control.http.Scope.SESSION;
import static org.citizenreception.control.http.Scope.SESSION_HOST;
import static org.citizenreception.control.http.Scope.UNIT;
import static org.citizenreception.control.identity.Role.ADMIN;
import static org.citizenreception.control.identity.Role.HOST;
import static org.citizenreception.control.identity.Role.ROOM_OPERATOR;
import static org.citizenreception.control.identity.Role.SECRETARY;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.citizenreception.control.http.AccessRule;
import org.citizenreception.control.http.Scope;
import org.citizenreception.control.identity.Role;

/**
 * Every HTTP, WebSocket, WHIP and WHEP route with the roles it admits and its object scope: the
 * access model in one table. {@link AccessFilter} enforces it before any controller runs (a
 * route missing here is refused, and {@code RoutesTableTest} fails the build); the OpenAPI document
 * repeats it as {@code x-roles} and {@code x-scope}, checked by a test; the access matrix test
 * derives its expectations from it.
 *
 * <p>A new route: one line here, in the style below, beside its area's routes.
 */
public final class RoutesTable {
    private static final Role[] EVERYONE = {ADMIN, HOST, SECRETARY, ROOM_OPERATOR};

    public static final List<AccessRule> RULES = List.of(
            rule("GET /health", PUBLIC),
            rule("GET /metrics", PUBLIC),
            rule("GET /api/v1/openapi.json", PUBLIC),
            rule("POST /api/v1/auth/login", PUBLIC),
            rule("POST /api/v1/auth/logout", SELF, EVERYONE),
            rule("GET /api/v1/auth/me", SELF, EVERYONE),
            rule("POST /api/v1/auth/password", SELF, EVERYONE),

            rule("GET /api/v1/users", PROVINCE, ADMIN),
            rule("POST /api/v1/users", PROVINCE, ADMIN),
            rule("GET /api/v1/users/{id}", PROVINCE, ADMIN),
            rule("PATCH /api/v1/users/{id}", PROVINCE, ADMIN),
            rule("DELETE /api/v1/users/{id}", PROVINCE, ADMIN),
            rule("DELETE /api/v1/users/{id}/sessions", PROVINCE, ADMIN),

            rule("GET /api/v1/rooms", PROVINCE, EVERYONE),
            rule("POST /api/v1/rooms", PROVINCE, ADMIN),
            rule("POST /api/v1/rooms/import", PROVINCE, ADMIN),
            rule("GET /api/v1/rooms/{code}", PROVINCE, EVERYONE),
            rule("PATCH /api/v1/rooms/{code}", PROVINCE, ADMIN),
            rule("DELETE /api/v1/rooms/{code}", PROVINCE, ADMIN),

            rule("GET /api/v1/audit", PROVINCE, ADMIN),
            rule("GET /api/v1/audit/verify", PROVINCE, ADMIN),
            rule("GET /api/v1/audit/export", PROVINCE, ADMIN),
            rule("GET /api/v1/audit/checkpoints", PROVINCE, ADMIN),

            rule("POST /api/v1/sessions", PROVINCE, ADMIN, HOST),
            rule("GET /api/v1/sessions", UNIT, EVERYONE),
            rule("GET /api/v1/sessions/{id}", SESSION, EVERYONE),
            rule("PATCH /api/v1/sessions/{id}", SESSION, ADMIN, HOST),
            rule("POST /api/v1/sessions/{id}/state", SESSION_HOST, ADMIN, HOST),
            rule("GET /api/v1/sessions/{id}/rooms", SESSION, EVERYONE),
            rule("POST /api/v1/sessions/{id}/rooms/{room}/join-token", ROOM, ADMIN, HOST, ROOM_OPERATOR),
            rule("DELETE /api/v1/sessions/{id}/rooms/{room}/join-token", SESSION, ADMIN, HOST),
            rule("POST /api/v1/sessions/{id}/join-tokens", SESSION, ADMIN, HOST),

            rule("POST /api/v1/session-schedules", PROVINCE, ADMIN, HOST),
            rule("POST /api/v1/session-schedules/preview", PROVINCE, ADMIN, HOST),
            rule("GET /api/v1/session-schedules", PROVINCE, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/session-schedules/{id}/generate", PROVINCE, ADMIN, HOST),
            rule("GET /api/v1/leaders", PROVINCE, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/leaders", PROVINCE, ADMIN),
            rule("PATCH /api/v1/leaders/{id}", PROVINCE, ADMIN),

            rule("GET /api/v1/sessions/{id}/floor", SESSION, EVERYONE),
            rule("POST /api/v1/sessions/{id}/floor", SESSION_HOST, HOST),
            rule("DELETE /api/v1/sessions/{id}/floor", SESSION_HOST, HOST),
            rule("POST /api/v1/sessions/{id}/hands", SESSION, ADMIN, HOST, ROOM_OPERATOR),
            rule("DELETE /api/v1/sessions/{id}/hands/{room}", ROOM, ADMIN, HOST, ROOM_OPERATOR),
            // The stage as room screens lay it out: the host chooses the layout and stops any share.
            rule("GET /api/v1/sessions/{id}/stage", SESSION, EVERYONE),
            rule("PUT /api/v1/sessions/{id}/stage/layout", SESSION_HOST, HOST),
            rule("DELETE /api/v1/sessions/{id}/stage/content", SESSION_HOST, HOST),

            rule("GET /api/v1/sessions/{id}/attendance", SESSION, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/sessions/{id}/attendance.csv", SESSION, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/sessions/{id}/rooms/{room}/officials", ROOM, EVERYONE),
            rule("DELETE /api/v1/sessions/{id}/rooms/{room}/officials/{official}", ROOM, EVERYONE),
            rule("PUT /api/v1/sessions/{id}/rooms/{room}/citizens", ROOM, EVERYONE),
            // A room's simulcast layer pin: the room for itself, or the host for a room.
            rule("PUT /api/v1/sessions/{id}/rooms/{room}/layer", ROOM, HOST, ROOM_OPERATOR),

            // Room messages: a room writes in and reads its own thread only; staff read all and reply.
            rule("POST /api/v1/sessions/{id}/rooms/{room}/messages", ROOM, ROOM_OPERATOR),
            rule("GET /api/v1/sessions/{id}/rooms/{room}/messages", ROOM, EVERYONE),
            rule("GET /api/v1/sessions/{id}/messages", SESSION, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/sessions/{id}/messages/{message}/replies", SESSION, SECRETARY, HOST),
            rule("POST /api/v1/sessions/{id}/messages/{message}/petition", SESSION, SECRETARY, HOST),

            rule("POST /api/v1/sessions/{id}/petitions", SESSION, SECRETARY, HOST),
            rule("GET /api/v1/sessions/{id}/petitions", SESSION, EVERYONE),
            rule("GET /api/v1/petitions", UNIT, EVERYONE),
            rule("GET /api/v1/petitions.csv", UNIT, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/petitions/{id}", UNIT, EVERYONE),
            rule("PATCH /api/v1/petitions/{id}", UNIT, SECRETARY, HOST),
            rule("GET /api/v1/petitions/{id}/versions", UNIT, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/petitions/{id}/annotations", UNIT, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/petitions/{id}/annotations", UNIT, SECRETARY, HOST),
            rule("POST /api/v1/petitions/{id}/status", UNIT, SECRETARY, HOST),
            rule("POST /api/v1/petitions/{id}/split", UNIT, SECRETARY, HOST),
            rule("POST /api/v1/petitions/{id}/extensions", UNIT, SECRETARY, HOST),
            // Handling after acceptance and the case history: staff of the session or the unit's area; rooms never.
            rule("GET /api/v1/petitions/{id}/steps", UNIT, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/petitions/{id}/steps", UNIT, SECRETARY, HOST),
            rule("POST /api/v1/petitions/{id}/links", UNIT, SECRETARY, HOST),
            rule("POST /api/v1/petitions/case-history", UNIT, SECRETARY, HOST),
            rule("GET /api/v1/agencies", PROVINCE, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/agencies", PROVINCE, ADMIN),
            rule("PATCH /api/v1/agencies/{id}", PROVINCE, ADMIN),
            rule("GET /api/v1/reports/{kind}", UNIT, ADMIN, HOST, SECRETARY),

            // Recordings and the session record: staff only, never rooms. A path naming a recording, not a
            // session, is checked against the recording's session by RecordingController.
            rule("GET /api/v1/sessions/{id}/recording", SESSION, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/sessions/{id}/recordings", SESSION, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/sessions/{id}/record.pdf", SESSION, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/sessions/{id}/record.html", SESSION, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/recordings/due-for-disposal", PROVINCE, ADMIN),
            rule("GET /api/v1/recordings/{recording}/content", UNIT, ADMIN, HOST, SECRETARY),
            rule("GET /api/v1/recordings/{recording}/download", UNIT, ADMIN, HOST, SECRETARY),
            rule("POST /api/v1/recordings/{recording}/playback", UNIT, ADMIN, HOST, SECRETARY),
            // A <video src> cannot send a token: the signed, expiring link the route above issues is the
            // access, checked by RecordingController.stream.
            rule("GET /api/v1/recordings/{recording}/stream", PUBLIC),
            rule("GET /api/v1/recordings/{recording}/verify", UNIT, ADMIN, HOST, SECRETARY),
            rule("DELETE /api/v1/recordings/{recording}", PROVINCE, ADMIN),

            // Media bridges: a bridge registers and reports with its signed token (no user role); admins list and drain.
            rule("GET /api/v1/bridges", PROVINCE, ADMIN),
            rule("PUT /api/v1/bridges/{id}", BRIDGE),
            rule("POST /api/v1/bridges/{id}/events", BRIDGE),
            rule("POST /api/v1/bridges/{id}/drain", PROVINCE, ADMIN),

            websocket("/api/v1/sessions/{id}/events", SESSION, EVERYONE),

            rule("POST /whip/{session}", SESSION_HOST, ADMIN, HOST, ROOM_OPERATOR),
            // A shared screen into the content slot: the host, or the room holding the floor now.
            rule("POST /whip/{session}/content", SESSION_HOST, ADMIN, HOST, ROOM_OPERATOR),
            rule("DELETE /whip/{session}/{endpoint}", ENDPOINT, EVERYONE),
            rule("PATCH /whip/{session}/{endpoint}", ENDPOINT, EVERYONE),
            rule("POST /whep/{session}", SESSION, EVERYONE),
            rule("DELETE /whep/{session}/{endpoint}", ENDPOINT, EVERYONE),
            rule("PATCH /whep/{session}/{endpoint}", ENDPOINT, EVERYONE));

    private static final Map<String, AccessRule> BY_ROUTE = index();

    private RoutesTable() {
    }

    /** The rule of {@code method path} (the path template as registered), if the route has one. */
    public static Optional<AccessRule> rule(String method, String path) {
        return Optional.ofNullable(BY_ROUTE.get(method + " " + path));
    }

    private static AccessRule rule(String route, Scope scope, Role... roles) {
        int space = route.indexOf(' ');
        return new AccessRule(route.substring(0, space), route.substring(space + 1), Set.of(roles), scope, false);
    }

    private static AccessRule websocket(String path, Scope scope, Role... roles) {
        return new AccessRule("GET", path, Set.of(roles), scope, true);
    }

    private static Map<String, AccessRule> index() {
        Map<String, AccessRule> m = new LinkedHashMap<>();
        for (AccessRule r : RULES) {
            if (m.put(r.route(), r) != null) {
                throw new IllegalStateException("the routes table lists " + r.route() + " twice");
            }
        }
        return m;
    }
}
