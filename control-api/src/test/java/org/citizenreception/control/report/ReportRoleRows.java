package org.citizenreception.control.report;

import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.util.List;
import org.citizenreception.control.testing.RoleMatrix.Row;

/**
 * The role matrix row of reports: staff read them, rooms never; a report narrowed to room A is
 * refused to staff of a unit whose area does not hold it.
 */
public final class ReportRoleRows {
    private ReportRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(row("GET /api/v1/reports/{kind}", x -> "/api/v1/reports/review-fortnight?unit=" + x.roomA, only(ADMIN, HOST, SECRETARY)),
                // The PDF is the same route with another last segment: the same callers, checked again because it renders.
                row("GET /api/v1/reports/{kind}", x -> "/api/v1/reports/six-months.pdf?unit=" + x.roomA, only(ADMIN, HOST, SECRETARY)));
    }
}
