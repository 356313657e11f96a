package org.citizenreception.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;
import org.citizenreception.control.testing.TestServer;

/**
 * The role matrix rows of the schedule preview and the leaders list: whoever may create a schedule
 * may preview one; staff read the leaders list, administrators keep it.
 */
public final class ScheduleRoleRows {
    private static final Map<Fixture, Long> leaders = new IdentityHashMap<>();

    private ScheduleRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(
                row("POST /api/v1/session-schedules/preview", x -> "/api/v1/session-schedules/preview",
                        x -> "{\"recurrence\":{\"type\":\"MONTHLY_ON_DAY\",\"dayOfMonth\":2},\"validFrom\":\"2027-01-01\",\"validUntil\":\"2027-12-31\"}",
                        only(ADMIN, HOST)),
                row("GET /api/v1/leaders", x -> "/api/v1/leaders", only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/leaders", x -> "/api/v1/leaders", x -> "{\"name\":\"" + x.unique("Lãnh đạo ") + "\"}", only(ADMIN)),
                row("PATCH /api/v1/leaders/{id}", x -> "/api/v1/leaders/" + leader(x), x -> "{\"position\":\"Phó Chủ tịch\"}", only(ADMIN)));
    }

    private static synchronized long leader(Fixture x) {
        return leaders.computeIfAbsent(x, f -> {
            TestServer.Response r = f.server.json("POST", "/api/v1/leaders", f.token(Caller.ADMIN, false), "{\"name\":\"Lãnh đạo của ma trận\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("id").asLong();
        });
    }
}
