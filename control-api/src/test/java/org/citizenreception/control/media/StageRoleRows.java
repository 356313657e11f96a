package org.citizenreception.control.media;

import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;
import static org.citizenreception.control.testing.RoleMatrix.signedIn;

import java.util.List;
import org.citizenreception.control.testing.RoleMatrix.Row;

/**
 * The role matrix rows of the stage: everyone of the session reads how screens lay it out; its
 * presiding host alone chooses the layout and stops a share (an administrator never steers the broadcast).
 */
public final class StageRoleRows {
    private StageRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(
                row("GET /api/v1/sessions/{id}/stage", x -> "/api/v1/sessions/" + x.liveSession() + "/stage", signedIn()),
                row("PUT /api/v1/sessions/{id}/stage/layout", x -> "/api/v1/sessions/" + x.liveSession() + "/stage/layout",
                        x -> "{\"layout\":\"CONTENT_BESIDE_SPEAKER\"}", only(HOST)),
                row("DELETE /api/v1/sessions/{id}/stage/content", x -> "/api/v1/sessions/" + x.liveSession() + "/stage/content",
                        only(HOST)));
    }
}
