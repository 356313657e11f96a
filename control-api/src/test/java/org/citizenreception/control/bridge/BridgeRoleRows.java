package org.citizenreception.control.bridge;

import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.util.List;
import org.citizenreception.control.testing.RoleMatrix;
import org.citizenreception.control.testing.RoleMatrix.Expect;
import org.citizenreception.control.testing.RoleMatrix.Row;

/**
 * The role matrix rows of the bridge routes: administrators list and drain (the matrix's server runs
 * media embedded, so a drain finds no bridge: past access, 409); a bridge's own routes admit no user
 * (403 signed in, 401 without a token), only the bridge's signed token (BridgeApiTest drives those).
 */
public final class BridgeRoleRows {
    private BridgeRoleRows() {
    }

    public static List<Row> rows() {
        String heartbeat = "{\"apiUrl\":\"http://127.0.0.1:9\",\"mediaAddress\":\"127.0.0.1:9\",\"region\":\"\",\"capacity\":10,"
                + "\"endpoints\":0,\"packetsPerSecond\":0,\"cpuLoad\":0}";
        return List.of(
                row("GET /api/v1/bridges", x -> "/api/v1/bridges", only(ADMIN)),
                row("PUT /api/v1/bridges/{id}", x -> "/api/v1/bridges/matrix-bridge", x -> heartbeat, only()),
                row("POST /api/v1/bridges/{id}/events", x -> "/api/v1/bridges/matrix-bridge/events", x -> "{\"events\":[]}", only()),
                row("POST /api/v1/bridges/{id}/drain", x -> "/api/v1/bridges/matrix-bridge/drain",
                        RoleMatrix.with(only(ADMIN), Expect.PAST_ACCESS, ADMIN)));
    }
}
