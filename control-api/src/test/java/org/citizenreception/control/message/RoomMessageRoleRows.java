package org.citizenreception.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.OPERATOR_OWN_ROOM;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.util.List;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;

/**
 * The role matrix rows of room messages: only room A itself writes in room A's thread; staff and
 * room A read it; staff read every thread, and the host and secretaries reply and file drafts. A
 * draft gets a fresh message per call (a message is filed once).
 */
public final class RoomMessageRoleRows {
    private RoomMessageRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(
                row("POST /api/v1/sessions/{id}/rooms/{room}/messages", x -> "/api/v1/sessions/" + x.liveSession() + "/rooms/" + x.roomA
                        + "/messages", x -> "{\"quick\":\"NO_SOUND\"}", only(OPERATOR_OWN_ROOM)),
                row("GET /api/v1/sessions/{id}/rooms/{room}/messages", x -> "/api/v1/sessions/" + x.liveSession() + "/rooms/" + x.roomA
                        + "/messages", only(ADMIN, HOST, SECRETARY, OPERATOR_OWN_ROOM)),
                row("GET /api/v1/sessions/{id}/messages", x -> "/api/v1/sessions/" + x.liveSession() + "/messages", only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/sessions/{id}/messages/{message}/replies", x -> "/api/v1/sessions/" + x.liveSession() + "/messages/"
                        + freshMessage(x) + "/replies", x -> "{\"text\":\"Đã rõ\"}", only(HOST, SECRETARY)),
                row("POST /api/v1/sessions/{id}/messages/{message}/petition", x -> "/api/v1/sessions/" + x.liveSession() + "/messages/"
                        + freshMessage(x) + "/petition", x -> "{\"kind\":\"RECOMMENDATION\",\"petitioners\":[{\"name\":\"Lê Văn Tám\","
                        + "\"address\":\"Hạ Long\"}]}", only(HOST, SECRETARY)));
    }

    private static long freshMessage(Fixture x) {
        TestServer.Response r = x.server.json("POST", "/api/v1/sessions/" + x.liveSession() + "/rooms/" + x.roomA + "/messages",
                x.token(Caller.OPERATOR_OWN_ROOM, false), "{\"text\":\"Công dân hỏi về đền bù\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }
}
