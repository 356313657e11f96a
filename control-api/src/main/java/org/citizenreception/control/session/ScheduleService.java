package org.citizenreception.control.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/**
 * Recurring schedules and the sessions they generate. Generation is idempotent: an occurrence
 * already generated (even if since edited, postponed or cancelled) is never created twice, because
 * (schedule_id, occurrence_date) is unique; running it again only fills the horizon's new days.
 * An occurrence on a weekend or public holiday is moved or skipped as its rule says; the
 * occurrence date stays the rule's date, the session is held on the planned one.
 */
public final class ScheduleService {
    private static final ObjectMapper JSON = HttpServer.objectMapper();
    /** A rule without an end date is previewed this far ahead. */
    static final int OPEN_PREVIEW_MONTHS = 12;
    /** A longer preview would outrun any holiday table (the government fixes one year at a time). */
    static final int MAX_PREVIEW_YEARS = 5;
    /** Longer than any run of closed days (Tết: 9 with the weekends), so a move is always seen from both windows. */
    private static final int PLAN_MARGIN_DAYS = 31;

    private final Database database;
    private final AuditLog audit;
    private final RoomDirectory rooms;
    private final SessionService sessions;
    private final WorkingDayPlanner planner;
    private final Clock clock;

    public ScheduleService(Database database, AuditLog audit, RoomDirectory rooms, SessionService sessions, WorkingDayPlanner planner,
                           Clock clock) {
        this.database = database;
        this.audit = audit;
        this.rooms = rooms;
        this.sessions = sessions;
        this.planner = planner;
        this.clock = clock;
    }

    /**
     * Where each occurrence of the rule in {@code in} would land between its valid dates (a rule
     * without an end: its first {@value #OPEN_PREVIEW_MONTHS} months), and why; changes nothing.
     */
    public SchedulePreview preview(ScheduleInput in) {
        Recurrence recurrence = validRecurrence(in.recurrence());
        LocalDate from = in.validFrom() == null ? today() : in.validFrom();
        if (in.validUntil() != null && in.validUntil().isBefore(from)) {
            throw DomainErrors.invalid("validUntil", "must not be before validFrom");
        }
        LocalDate to = in.validUntil() != null ? in.validUntil() : from.plusMonths(OPEN_PREVIEW_MONTHS).minusDays(1);
        if (to.isAfter(from.plusYears(MAX_PREVIEW_YEARS))) {
            throw DomainErrors.invalid("validUntil", "a preview covers at most " + MAX_PREVIEW_YEARS + " years");
        }
        NonWorkingDayRule rule = in.onNonWorkingDay() == null ? NonWorkingDayRule.MOVE : in.onNonWorkingDay();
        return preview(recurrence, from, to, in.validUntil() == null, rule);
    }

    private SchedulePreview preview(Recurrence recurrence, LocalDate from, LocalDate to, boolean openEnded, NonWorkingDayRule rule) {
        List<PlannedDate> planned = planner.plan(recurrence.occurrences(from, to), rule);
        java.util.OptionalInt lastYear = planner.lastYearListed(from.getYear());
        List<SchedulePreview.Warning> warnings = new ArrayList<>();
        LocalDate lastHeld = planned.stream().map(p -> p.date() != null ? p.date() : p.ruleDate()).reduce((a, b) -> b).orElse(to);
        int reach = Math.max(to.getYear(), lastHeld.getYear());
        if (openEnded || lastYear.isEmpty() || reach > lastYear.getAsInt()) {
            int missing = lastYear.isEmpty() ? from.getYear() : lastYear.getAsInt() + 1;
            warnings.add(new SchedulePreview.Warning("HOLIDAY_TABLE_ENDS", missing, openEnded));
        }
        return new SchedulePreview(from, to, rule, planned, lastYear.isEmpty() ? null : lastYear.getAsInt(), warnings);
    }

    private static Recurrence validRecurrence(Recurrence given) {
        Recurrence recurrence = Fields.present("recurrence", given);
        try {
            recurrence.validate();
        } catch (IllegalArgumentException e) {
            throw DomainErrors.invalid("recurrence", e.getMessage());
        }
        return recurrence;
    }

    /** Stores the schedule and generates its sessions up to the horizon. */
    public Map<String, Object> create(Principal actor, String remote, ScheduleInput in) {
        String title = Fields.required("title", in.title(), 300);
        Recurrence recurrence = validRecurrence(in.recurrence());
        LocalTime start = Fields.present("startTime", in.startTime());
        LocalTime end = Fields.present("endTime", in.endTime());
        if (!end.isAfter(start)) {
            throw DomainErrors.invalid("endTime", "must be after startTime (a reception does not run past midnight)");
        }
        LocalDate from = in.validFrom() == null ? today() : in.validFrom();
        if (in.validUntil() != null && in.validUntil().isBefore(from)) {
            throw DomainErrors.invalid("validUntil", "must not be before validFrom");
        }
        int horizon = in.horizonDays() == null ? 62 : Fields.range("horizonDays", in.horizonDays(), 1, 366);
        PresidingOfficial presiding = PresidingOfficial.resolve(database, in.presidingUserId(), in.presidingLeaderId(), in.presidingOfficial());
        if (in.hostRoomCode() == null || rooms.find(in.hostRoomCode()).isEmpty()) {
            throw DomainErrors.invalid("hostRoomCode", "must be the code of an existing room");
        }
        Invitation invitation = in.invitation() == null ? Invitation.all() : in.invitation();
        invitation.resolve(rooms, from, in.hostRoomCode(), "invitation");
        NonWorkingDayRule onNonWorkingDay = in.onNonWorkingDay() == null ? NonWorkingDayRule.MOVE : in.onNonWorkingDay();
        Schedule draft = new Schedule(0, title, recurrence, start, end, from, in.validUntil(), horizon, onNonWorkingDay, presiding.name(), presiding.userId(), presiding.leaderId(), in.hostRoomCode(),
                invitation, in.mode() == null ? ReceptionSession.Mode.ONLINE : in.mode(), in.recording() == null || in.recording(), true);
        return Transactions.inTransaction(database, c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_schedules (title, recurrence_json, start_time, end_time, "
                    + "time_zone, valid_from, valid_until, horizon_days, presiding_official, host_room_code, invitation_json, mode, "
                    + "recording, created_at, created_by, presiding_user_id, on_non_working_day, presiding_leader_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, draft.title());
                ps.setString(2, json(draft.recurrence()));
                ps.setString(3, draft.startTime().toString());
                ps.setString(4, draft.endTime().toString());
                ps.setString(5, SessionService.ZONE.getId());
                ps.setString(6, draft.validFrom().toString());
                ps.setString(7, draft.validUntil() == null ? null : draft.validUntil().toString());
                ps.setInt(8, draft.horizonDays());
                ps.setString(9, draft.presidingOfficial());
                ps.setString(10, draft.hostRoomCode());
                ps.setString(11, json(draft.invitation()));
                ps.setString(12, draft.mode().name());
                ps.setInt(13, draft.recording() ? 1 : 0);
                ps.setString(14, clock.instant().toString());
                ps.setObject(15, actor.userId() > 0 ? actor.userId() : null);
                ps.setObject(16, draft.presidingUserId());
                ps.setString(17, draft.onNonWorkingDay().name());
                // A typed name is filed under its leader here, in the schedule's own transaction.
                ps.setObject(18, draft.presidingUserId() == null && draft.presidingLeaderId() == null
                        ? Long.valueOf(LeaderService.fileTypedName(c, draft.presidingOfficial(), clock.instant())) : draft.presidingLeaderId());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            audit.record(c, actor, remote, "schedule.create", "schedule", String.valueOf(id), Map.of("horizonDays", horizon,
                    "onNonWorkingDay", onNonWorkingDay.name()));
            List<ReceptionSession> generated = generate(c, actor, remote, find(c, id).orElseThrow());
            LocalDate previewTo = in.validUntil() != null ? in.validUntil() : from.plusMonths(OPEN_PREVIEW_MONTHS).minusDays(1);
            return Map.of("schedule", find(c, id).orElseThrow(), "generated", generated,
                    "warnings", preview(recurrence, from, previewTo, in.validUntil() == null, onNonWorkingDay).warnings());
        });
    }

    /** Creates the sessions of {@code scheduleId} missing up to today + horizon; returns the new ones. */
    public List<ReceptionSession> generate(Principal actor, String remote, long scheduleId) {
        return Transactions.inTransaction(database, c -> {
            List<ReceptionSession> created = generate(c, actor, remote,
                    find(c, scheduleId).orElseThrow(() -> DomainErrors.notFound("schedule " + scheduleId)));
            audit.record(c, actor, remote, "schedule.generate", "schedule", String.valueOf(scheduleId), Map.of("created", created.size()));
            return created;
        });
    }

    /** Runs every active schedule (at start and daily). */
    public int generateAll(Principal actor) {
        List<Long> ids = Transactions.read(database, c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM session_schedules WHERE active = 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
        int n = 0;
        for (long id : ids) {
            n += generate(actor, "scheduler", id).size();
        }
        return n;
    }

    public List<Schedule> list() {
        return Transactions.read(database, c -> {
            List<Schedule> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM session_schedules ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    find(c, rs.getLong(1)).ifPresent(out::add);
                }
            }
            return out;
        });
    }

    private List<ReceptionSession> generate(Connection c, Principal actor, String remote, Schedule s) throws SQLException {
        if (!s.active()) {
            return List.of();
        }
        LocalDate today = today();
        LocalDate from = s.validFrom().isAfter(today) ? s.validFrom() : today;
        LocalDate to = today.plusDays(s.horizonDays());
        if (s.validUntil() != null && s.validUntil().isBefore(to)) {
            to = s.validUntil();
        }
        List<ReceptionSession> created = new ArrayList<>();
        SessionRepository repo = sessions.repository();
        // Planned with a margin on both sides: a rule date just before the window may be moved into it,
        // and a move may collide with a neighbour outside it.
        LocalDate planFrom = from.minusDays(PLAN_MARGIN_DAYS).isBefore(s.validFrom()) ? s.validFrom() : from.minusDays(PLAN_MARGIN_DAYS);
        LocalDate planTo = s.validUntil() != null && s.validUntil().isBefore(to.plusDays(PLAN_MARGIN_DAYS)) ? s.validUntil()
                : to.plusDays(PLAN_MARGIN_DAYS);
        for (PlannedDate planned : planner.plan(s.recurrence().occurrences(planFrom, planTo), s.onNonWorkingDay())) {
            LocalDate day = planned.date();
            if (day == null || day.isBefore(from) || planned.ruleDate().isAfter(to) || repo.existsOccurrence(c, s.id(), planned.ruleDate())) {
                continue;
            }
            ReceptionSession draft = new ReceptionSession(0, s.title(), day.atTime(s.startTime()).atZone(SessionService.ZONE).toInstant(),
                    day.atTime(s.endTime()).atZone(SessionService.ZONE).toInstant(), s.presidingOfficial(), s.presidingUserId(), s.hostRoomCode(),
                    s.invitation(), s.mode(), s.recording(), SessionState.SCHEDULED, null, null, null, s.id(), planned.ruleDate(), 1, 0)
                    .withPresidingLeader(s.presidingLeaderId());
            ReceptionSession saved = sessions.insert(c, draft, actor);
            audit.record(c, actor, remote, "session.create", "session", String.valueOf(saved.id()),
                    Map.of("schedule", s.id(), "occurrence", planned.ruleDate().toString(), "heldOn", day.toString()));
            created.add(saved);
        }
        return created;
    }

    private Optional<Schedule> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, title, recurrence_json, start_time, end_time, valid_from, valid_until, "
                + "horizon_days, presiding_official, host_room_code, invitation_json, mode, recording, active, presiding_user_id, "
                + "on_non_working_day, presiding_leader_id FROM session_schedules WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String until = rs.getString(7);
                long presidingId = rs.getLong(15);
                Long presidingUserId = rs.wasNull() ? null : presidingId;
                long leaderId = rs.getLong(17);
                Long presidingLeaderId = rs.wasNull() ? null : leaderId;
                return Optional.of(new Schedule(rs.getLong(1), rs.getString(2), JSON.readValue(rs.getString(3), Recurrence.class),
                        LocalTime.parse(rs.getString(4)), LocalTime.parse(rs.getString(5)), LocalDate.parse(rs.getString(6)),
                        until == null ? null : LocalDate.parse(until), rs.getInt(8), NonWorkingDayRule.valueOf(rs.getString(16)), rs.getString(9),
                        presidingUserId, presidingLeaderId, rs.getString(10),
                        JSON.readValue(rs.getString(11), Invitation.class), ReceptionSession.Mode.valueOf(rs.getString(12)),
                        rs.getInt(13) == 1, rs.getInt(14) == 1));
            } catch (JsonProcessingException e) {
                throw new SQLException("stored schedule " + id + " is unreadable", e);
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), SessionService.ZONE);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
