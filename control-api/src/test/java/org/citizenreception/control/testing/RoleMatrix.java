package org.citizenreception.control.testing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.citizenreception.control.user.Role;

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
    public enum Caller { ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM, OPERATOR_OTHER_ROOM, ANONYMOUS }

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

        public Fixture(TestServer server, String roomA, String roomB) {
            this.server = server;
            this.roomA = roomA;
            this.roomB = roomB;
            usernames.put(Caller.ADMIN, "admin");
            account(Caller.HOST, "matrix.host", Role.HOST, null);
            account(Caller.SECRETARY, "matrix.secretary", Role.SECRETARY, null);
            account(Caller.OPERATOR_OWN_ROOM, "matrix.operator.a", Role.ROOM_OPERATOR, roomA);
            account(Caller.OPERATOR_OTHER_ROOM, "matrix.operator.b", Role.ROOM_OPERATOR, roomB);
        }

        private void account(Caller caller, String username, Role role, String room) {
            server.createUser(username, role, room);
            usernames.put(caller, username);
        }

        /** A name no other call of this fixture returns (for usernames, room codes). */
        public String unique(String prefix) {
            return prefix + "-" + sequence.incrementAndGet();
        }

        public String token(Caller caller, boolean fresh) {
            if (caller == Caller.ANONYMOUS) {
                return null;
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

    /** Everyone, signed in or not. */
    public static Map<Caller, Expect> everyone() {
        Map<Caller, Expect> m = new EnumMap<>(Caller.class);
        for (Caller c : Caller.values()) {
            m.put(c, Expect.OK);
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
            m.put(c, c == Caller.ANONYMOUS ? Expect.UNAUTHORIZED : Expect.FORBIDDEN);
        }
        for (Caller c : allowed) {
            m.put(c, Expect.OK);
        }
        return m;
    }

    /** Runs every row for every caller; returns one line per mismatch (empty when all match). */
    public static List<String> check(Fixture f, List<Row> rows) {
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Caller caller : Caller.values()) {
                Expect expected = row.expected().get(caller);
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

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
