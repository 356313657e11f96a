package org.citizenreception.control.testing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import org.citizenreception.control.RoutesTable;
import org.citizenreception.control.http.AccessRule;
import org.citizenreception.control.http.Scope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.citizenreception.control.identity.Role;

/**
 * A table of endpoints × callers with the expected outcome (2xx, 401, 403), run against a real
 * server. Reusable: another area adds its {@link Row}s and runs them with {@link #check}.
 *
 * <p>Callers: the four roles, plus the distinction that matters for rooms: a room operator of the
 * room the request is about ({@link Caller#OPERATOR_OWN_ROOM}) and one of another room
 * ({@link Caller#OPERATOR_OTHER_ROOM}). A row's path and body are functions of the {@link Fixture},
 * so a request about "the room" uses {@link Fixture#roomA} and a destructive request can create a
 * fresh target for each caller.
 */
public final class RoleMatrix {
    public enum Caller {
        ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM, OPERATOR_OTHER_ROOM, ANONYMOUS,
        /** A sign-in token past its expiry. */
        EXPIRED,
        /** A host whose unit (another commune-level unit) holds neither the session's hosting room nor room A: a host of other sessions. */
        HOST_OTHER_UNIT,
        /** A secretary of that unit, assigned to no session here. */
        SECRETARY_OTHER_UNIT,
        /** Room A's join token for the fixture's live session. */
        ROOM_TOKEN_OWN,
        /** Room B's join token for the same session (room B is invited too, the request is about room A). */
        ROOM_TOKEN_OTHER_ROOM,
        /** Room A's join token for another session. */
        ROOM_TOKEN_OTHER_SESSION
    }

    /** The callers whose expectations are derived from the routes table rather than written per row. */
    public static final Set<Caller> DERIVED = EnumSet.of(Caller.EXPIRED, Caller.HOST_OTHER_UNIT, Caller.SECRETARY_OTHER_UNIT,
            Caller.ROOM_TOKEN_OWN, Caller.ROOM_TOKEN_OTHER_ROOM, Caller.ROOM_TOKEN_OTHER_SESSION);

    /** The unit whose staff are the "other unit" callers (the special zone of Cô Tô): it holds neither QN-VP nor room A. */
    public static final String OTHER_UNIT = "QN25-CO-TO";

    /**
     * {@code PAST_ACCESS}: let through access control, then refused or answered on its merits (any
     * status but 401, 403 and 5xx) — for a row whose success needs what only the caller knows (its
     * own password).
     */
    public enum Expect { OK, UNAUTHORIZED, FORBIDDEN, PAST_ACCESS }

    /**
     * One endpoint. {@code route} is the method and path template as registered
     * ({@code "GET /api/v1/users/{id}"}); {@code path} and {@code body} build a concrete request.
     *
     * @param contentType    null for no body
     * @param freshToken     sign the caller in anew for this request (for endpoints that revoke the token)
     * @param headers        further request headers (a precondition such as {@code If-Match})
     */
    public record Row(String route, Function<Fixture, String> path, String contentType, Function<Fixture, String> body,
                      boolean freshToken, Map<Caller, Expect> expected, Map<String, String> headers) {
        public Row(String route, Function<Fixture, String> path, String contentType, Function<Fixture, String> body,
                   boolean freshToken, Map<Caller, Expect> expected) {
            this(route, path, contentType, body, freshToken, expected, Map.of());
        }

        public String method() {
            return route.substring(0, route.indexOf(' '));
        }

        public String template() {
            return route.substring(route.indexOf(' ') + 1);
        }
    }

    /** The server and one signed-in account per caller; room A is the room requests are about. */
    public static final class Fixture {
        public final TestServer server;
        public final String roomA;
        public final String roomB;
        private final Map<Caller, String> usernames = new EnumMap<>(Caller.class);
        private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
        private final AtomicInteger sequence = new AtomicInteger();
        private Long liveSession;
        private Long otherSession;

        public Fixture(TestServer server, String roomA, String roomB) {
            this.server = server;
            this.roomA = roomA;
            this.roomB = roomB;
            usernames.put(Caller.ADMIN, "admin");
            account(Caller.HOST, "matrix.host", Role.HOST, null);
            account(Caller.SECRETARY, "matrix.secretary", Role.SECRETARY, null);
            account(Caller.OPERATOR_OWN_ROOM, "matrix.operator.a", Role.ROOM_OPERATOR, roomA);
            account(Caller.OPERATOR_OTHER_ROOM, "matrix.operator.b", Role.ROOM_OPERATOR, roomB);
            accountOfUnit(Caller.HOST_OTHER_UNIT, "matrix.host.district", Role.HOST);
            accountOfUnit(Caller.SECRETARY_OTHER_UNIT, "matrix.secretary.district", Role.SECRETARY);
        }

        private void accountOfUnit(Caller caller, String username, Role role) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("username", username);
            body.put("role", role.name());
            body.put("unitCode", OTHER_UNIT);
            body.put("password", TestServer.passwordOf(username));
            TestServer.Response r = server.json("POST", "/api/v1/users", server.adminToken(), body);
            if (r.status() != 201) {
                throw new AssertionError("creating " + username + " failed: " + r.body());
            }
            usernames.put(caller, username);
        }

        /**
         * The session rows are about: hosted by the office, inviting rooms A and B, live under the
         * fixture's host (who therefore presides it).
         */
        public synchronized long liveSession() {
            if (liveSession == null) {
                liveSession = newSession(true);
            }
            return liveSession;
        }

        private synchronized long otherSession() {
            if (otherSession == null) {
                otherSession = newSession(false);
            }
            return otherSession;
        }

        private long newSession(boolean live) {
            java.time.Instant start = server.clock.instant().plus(java.time.Duration.ofHours(1));
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("title", live ? "Phiên của ma trận" : "Phiên khác của ma trận");
            body.put("scheduledStart", start.toString());
            body.put("scheduledEnd", start.plus(java.time.Duration.ofHours(3)).toString());
            body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
            body.put("hostRoomCode", "QN-VP");
            body.put("invitation", Map.of("type", "LIST", "rooms", List.of(roomA, roomB)));
            TestServer.Response created = server.json("POST", "/api/v1/sessions", token(Caller.HOST, false), body);
            if (created.status() != 201) {
                throw new AssertionError("cannot create the matrix session: " + created.body());
            }
            long id = created.json().get("id").asLong();
            if (live) {
                TestServer.Response r = server.json("POST", "/api/v1/sessions/" + id + "/state", token(Caller.HOST, false),
                        Map.of("state", "LIVE"));
                if (r.status() != 200) {
                    throw new AssertionError("cannot take the matrix session live: " + r.body());
                }
            }
            return id;
        }

        /** A real sign-in token of the fixture's secretary, stored with an expiry in the past. */
        private String expiredToken() {
            String token = "expired-" + java.util.UUID.randomUUID();
            try (var c = server.server.database().unpooledConnection();
                 var ps = c.prepareStatement("INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) "
                         + "SELECT ?, id, ?, ? FROM users WHERE username = ?")) {
                ps.setString(1, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                ps.setString(2, server.clock.instant().minus(java.time.Duration.ofDays(2)).toString());
                ps.setString(3, server.clock.instant().minus(java.time.Duration.ofDays(1)).toString());
                ps.setString(4, usernames.get(Caller.SECRETARY));
                ps.executeUpdate();
            } catch (java.sql.SQLException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            return token;
        }

        private void account(Caller caller, String username, Role role, String room) {
            server.createUser(username, role, room);
            usernames.put(caller, username);
        }

        /** The account a caller signs in as (null for the callers without an account of their own). */
        public String username(Caller caller) {
            return usernames.get(caller);
        }

        /** A name no other call of this fixture returns (for usernames, room codes). */
        public String unique(String prefix) {
            return prefix + "-" + sequence.incrementAndGet();
        }

        public String token(Caller caller, boolean fresh) {
            if (caller == Caller.ANONYMOUS) {
                return null;
            }
            switch (caller) {
                case EXPIRED -> {
                    return tokens.computeIfAbsent(caller, c -> expiredToken());
                }
                case ROOM_TOKEN_OWN -> {
                    // Issued anew for each request: a row revokes room A's tokens in this session.
                    return server.joinToken(liveSession(), roomA);
                }
                case ROOM_TOKEN_OTHER_ROOM -> {
                    return tokens.computeIfAbsent(caller, c -> server.joinToken(liveSession(), roomB));
                }
                case ROOM_TOKEN_OTHER_SESSION -> {
                    return tokens.computeIfAbsent(caller, c -> server.joinToken(otherSession(), roomA));
                }
                default -> {
                    // accounts below
                }
            }
            if (caller == Caller.ADMIN && !fresh) {
                return server.adminToken();
            }
            String password = caller == Caller.ADMIN ? TestServer.ADMIN_PASSWORD : TestServer.passwordOf(usernames.get(caller));
            if (fresh) {
                return server.token(usernames.get(caller), password);
            }
            return tokens.computeIfAbsent(caller, c -> server.token(usernames.get(c), password));
        }
    }

    private RoleMatrix() {
    }

    public static Row row(String route, Function<Fixture, String> path, Map<Caller, Expect> expected) {
        return new Row(route, path, null, null, false, expected);
    }

    public static Row row(String route, Function<Fixture, String> path, Function<Fixture, String> jsonBody,
                          Map<Caller, Expect> expected) {
        return new Row(route, path, "application/json", jsonBody, false, expected);
    }

    /** Everyone, signed in or not (the {@link #DERIVED} callers follow from the routes table). */
    public static Map<Caller, Expect> everyone() {
        Map<Caller, Expect> m = new EnumMap<>(Caller.class);
        for (Caller c : Caller.values()) {
            if (!DERIVED.contains(c)) {
                m.put(c, Expect.OK);
            }
        }
        return m;
    }

    /** Every signed-in account; 401 without a token. */
    public static Map<Caller, Expect> signedIn() {
        Map<Caller, Expect> m = everyone();
        m.put(Caller.ANONYMOUS, Expect.UNAUTHORIZED);
        return m;
    }

    /** Only the given callers; 403 for other signed-in accounts, 401 without a token. */
    public static Map<Caller, Expect> only(Caller... allowed) {
        Map<Caller, Expect> m = new EnumMap<>(Caller.class);
        for (Caller c : Caller.values()) {
            if (!DERIVED.contains(c)) {
                m.put(c, c == Caller.ANONYMOUS ? Expect.UNAUTHORIZED : Expect.FORBIDDEN);
            }
        }
        for (Caller c : allowed) {
            m.put(c, Expect.OK);
        }
        return m;
    }

    /** {@code expected} with {@code callers} set to {@code outcome} (a row's exception to what the table derives). */
    public static Map<Caller, Expect> with(Map<Caller, Expect> expected, Expect outcome, Caller... callers) {
        Map<Caller, Expect> m = new EnumMap<>(expected);
        for (Caller c : callers) {
            m.put(c, outcome);
        }
        return m;
    }

    /** The join-token callers. */
    public static final Caller[] JOIN_TOKENS = {Caller.ROOM_TOKEN_OWN, Caller.ROOM_TOKEN_OTHER_ROOM, Caller.ROOM_TOKEN_OTHER_SESSION};

    /** Runs every row for every caller; returns one line per mismatch (empty when all match). */
    public static List<String> check(Fixture f, List<Row> rows) {
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Caller caller : Caller.values()) {
                Expect expected = row.expected().containsKey(caller) ? row.expected().get(caller) : derived(row, caller);
                if (expected == null) {
                    mismatches.add(row.route() + " has no expectation for " + caller);
                    continue;
                }
                String body = row.body() == null ? null : row.body().apply(f);
                TestServer.Response r = f.server.send(row.method(), row.path().apply(f), f.token(caller, row.freshToken()),
                        row.contentType(), body, row.headers());
                boolean ok = switch (expected) {
                    case OK -> r.status() >= 200 && r.status() < 300;
                    case UNAUTHORIZED -> r.status() == 401 && r.contentType().startsWith("application/problem+json");
                    case FORBIDDEN -> r.status() == 403 && r.contentType().startsWith("application/problem+json");
                    case PAST_ACCESS -> r.status() != 401 && r.status() != 403 && r.status() < 500;
                };
                if (!ok) {
                    mismatches.add(row.route() + " as " + caller + ": expected " + expected + ", got " + r.status()
                            + " " + abbreviate(r.body()));
                }
            }
        }
        return mismatches;
    }

    /**
     * What the routes table says a {@link #DERIVED} caller gets, from the row's written expectation
     * for the matching role and the route's scope: an expired token is no token; a member of
     * another unit reaches no single session, room or petition here (lists answer, filtered); a
     * join token reaches only its own session's routes, never the register outside it.
     */
    public static Expect derived(Row row, Caller caller) {
        AccessRule rule = RoutesTable.rule(row.method(), row.template())
                .orElseThrow(() -> new AssertionError(row.route() + " has no rule in the routes table"));
        boolean objectInPath = row.template().contains("{");
        boolean sessionScoped = Set.of(Scope.SESSION, Scope.SESSION_HOST, Scope.ROOM, Scope.ENDPOINT).contains(rule.scope());
        Expect base = switch (caller) {
            case EXPIRED -> row.expected().get(Caller.ANONYMOUS);
            case HOST_OTHER_UNIT -> row.expected().get(Caller.HOST);
            case SECRETARY_OTHER_UNIT -> row.expected().get(Caller.SECRETARY);
            case ROOM_TOKEN_OWN, ROOM_TOKEN_OTHER_SESSION -> row.expected().get(Caller.OPERATOR_OWN_ROOM);
            case ROOM_TOKEN_OTHER_ROOM -> row.expected().get(Caller.OPERATOR_OTHER_ROOM);
            default -> throw new IllegalArgumentException(caller + " is written per row");
        };
        if (base != Expect.OK || caller == Caller.EXPIRED) {
            return base;
        }
        return switch (caller) {
            case HOST_OTHER_UNIT, SECRETARY_OTHER_UNIT ->
                    sessionScoped || (rule.scope() == Scope.UNIT && objectInPath) ? Expect.FORBIDDEN : Expect.OK;
            case ROOM_TOKEN_OWN, ROOM_TOKEN_OTHER_ROOM -> rule.scope() == Scope.UNIT && !row.route().equals("GET /api/v1/sessions")
                    ? Expect.FORBIDDEN : Expect.OK;
            case ROOM_TOKEN_OTHER_SESSION -> sessionScoped || (rule.scope() == Scope.UNIT && !row.route().equals("GET /api/v1/sessions"))
                    ? Expect.FORBIDDEN : Expect.OK;
            default -> base;
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
