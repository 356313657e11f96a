package org.citizenreception.control.session;

import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.util.List;
import org.citizenreception.control.testing.RoleMatrix.Row;

/** The role matrix rows of the schedule preview: whoever may create a schedule may preview one. */
public final class ScheduleRoleRows {
    private ScheduleRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(row("POST /api/v1/session-schedules/preview", x -> "/api/v1/session-schedules/preview",
                x -> "{\"recurrence\":{\"type\":\"MONTHLY_ON_DAY\",\"dayOfMonth\":2},\"validFrom\":\"2027-01-01\",\"validUntil\":\"2027-12-31\"}",
                only(ADMIN, HOST)));
    }
}
