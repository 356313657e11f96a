package org.citizenreception.control.media;

import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.ANONYMOUS;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.OPERATOR_OTHER_ROOM;
import static org.citizenreception.control.testing.RoleMatrix.Caller.OPERATOR_OWN_ROOM;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Expect;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;

/**
 * The role matrix rows of WHIP and WHEP, on the fixture's live session (rooms A and B invited); offers are real WebRTC offers (they never connect: the role decision is what is tested).
 * Only the session's host publishes into the main slot (an administrator never broadcasts). DELETE
 * and PATCH act on an endpoint another caller opened: only its opener or the session's host may end it.
 */
public final class WhipWhepRoleRows {
    /** What a client restarting ICE sends (RFC 9725 §4.3.3). */
    private static final Map<String, String> ICE_RESTART_PRECONDITION = Map.of("If-Match", "*");

    private WhipWhepRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(
                new Row("POST /whep/{session}", x -> "/whep/" + session(x), "application/sdp", x -> offer(false), false,
                        expect(Expect.OK, Expect.OK, Expect.OK, Expect.OK, Expect.OK)),
                new Row("POST /whip/{session}", x -> "/whip/" + session(x), "application/sdp", x -> offer(true), false,
                        expect(Expect.FORBIDDEN, Expect.OK, Expect.FORBIDDEN, Expect.FORBIDDEN, Expect.FORBIDDEN)),
                // Nobody of the fixture holds the floor: the host alone shares (the room on the floor: ContentShareApiTest).
                new Row("POST /whip/{session}/content", x -> "/whip/" + session(x) + "/content", "application/sdp", x -> offer(true), false,
                        expect(Expect.FORBIDDEN, Expect.OK, Expect.FORBIDDEN, Expect.FORBIDDEN, Expect.FORBIDDEN)),
                new Row("DELETE /whep/{session}/{endpoint}", x -> endpoint(x, "/whep/"), null, null, false, openerOrHost()),
                new Row("DELETE /whip/{session}/{endpoint}", x -> endpoint(x, "/whip/"), null, null, false, hostOnly()),
                new Row("PATCH /whep/{session}/{endpoint}", x -> endpoint(x, "/whep/"), WhipWhepController.SDP_FRAGMENT,
                        x -> iceRestart(), false, openerOrHost(), ICE_RESTART_PRECONDITION),
                new Row("PATCH /whip/{session}/{endpoint}", x -> endpoint(x, "/whip/"), WhipWhepController.SDP_FRAGMENT,
                        x -> iceRestart(), false, hostOnly(), ICE_RESTART_PRECONDITION));
    }

    private static Map<Caller, Expect> expect(Expect admin, Expect host, Expect secretary, Expect ownRoom, Expect otherRoom) {
        Map<Caller, Expect> m = new EnumMap<>(Caller.class);
        m.put(ADMIN, admin);
        m.put(HOST, host);
        m.put(SECRETARY, secretary);
        m.put(OPERATOR_OWN_ROOM, ownRoom);
        m.put(OPERATOR_OTHER_ROOM, otherRoom);
        m.put(ANONYMOUS, Expect.UNAUTHORIZED);
        return m;
    }

    /** A viewer endpoint the administrator opened: the administrator (its opener) and the session's host. */
    private static Map<Caller, Expect> openerOrHost() {
        return expect(Expect.OK, Expect.OK, Expect.FORBIDDEN, Expect.FORBIDDEN, Expect.FORBIDDEN);
    }

    /** The host's own publisher endpoint. */
    private static Map<Caller, Expect> hostOnly() {
        return expect(Expect.FORBIDDEN, Expect.OK, Expect.FORBIDDEN, Expect.FORBIDDEN, Expect.FORBIDDEN);
    }

    /** The fixture's live session (rooms A and B invited; the fixture's host presides it). */
    private static long session(Fixture x) {
        return x.liveSession();
    }

    /** Opens an endpoint (WHIP as the host, WHEP as the administrator) and returns its resource path. */
    private static String endpoint(Fixture x, String prefix) {
        boolean whip = prefix.equals("/whip/");
        TestServer.Response created = x.server.send("POST", prefix + session(x),
                whip ? x.token(HOST, false) : x.server.adminToken(), "application/sdp", offer(whip));
        if (created.status() != 201) {
            throw new AssertionError("cannot open an endpoint: " + created.status() + " " + created.body());
        }
        return created.headers().firstValue("Location").orElseThrow();
    }

    static String offer(boolean publisher) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder fingerprint = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fingerprint.append(i == 0 ? "" : ":").append(String.format("%02X", r.nextInt(256)));
        }
        SdpOfferBuilder b = new SdpOfferBuilder().ice("u" + r.nextInt(1_000_000), "p" + Long.toHexString(r.nextLong()) + "0123456789abcdef")
                .fingerprint(fingerprint.toString()).candidate("127.0.0.1", 40000 + r.nextInt(20000));
        return (publisher ? b.sendOnly(r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, r.nextInt() & 0x7fffffffL, "matrix")
                : b.recvOnly()).build();
    }

    private static String iceRestart() {
        return "a=ice-ufrag:r" + ThreadLocalRandom.current().nextInt(1_000_000) + "\r\na=ice-pwd:restartedpassword0123456789\r\n";
    }
}
