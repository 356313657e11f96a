package org.citizenreception.control.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.petition.PetitionKind;
import org.citizenreception.control.petition.PetitionStatus;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.SessionAccess;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * Computes reports from the register's histories (status changes and handling steps, both
 * append-only and dated), so a report on a past period reads as the register stood then: a
 * petition's status on a day is its last status change effective on or before it, its deadline that
 * of the last step recorded by then.
 *
 * <p>The reach follows the access model: administrators and staff of the province root see the
 * province, other staff their unit's area (a petition counts when its original unit or the unit
 * that succeeded it lies there); rooms never reach this service (the routes table refuses them).
 *
 * <p>Whose reception day a session is (the duty report, LTCD Art. 12(5), 15(2)(d), 18): the person
 * who received the citizens, never the operator of the console. A session names them as an entry
 * of the leaders list (chosen, or a typed name filed under one), and may also carry a HOST account,
 * which is whoever scheduled or runs it. So: the leader entry counts when there is one, and the
 * host account is not counted beside it; a session presided by a host account alone counts for
 * that account, unless the account's display name is a leader's name (case and spacing aside), in
 * which case the account IS that leader and the day counts on the leader's row, once.
 */
public final class ReportService {
    /** A petition in one of these has been dealt with: resolved, or not to be resolved here. */
    private static final Set<PetitionStatus> FINISHED = EnumSet.of(PetitionStatus.REFUSED, PetitionStatus.GUIDED,
            PetitionStatus.FORWARDED, PetitionStatus.EXPLAINED_RESOLVED, PetitionStatus.FILED, PetitionStatus.WITHDRAWN,
            PetitionStatus.DECIDED, PetitionStatus.NOTIFIED, PetitionStatus.CLOSED);
    /** Successor links are followed at most this far (2024 → Nov 2024 → 2025 needs two). */
    private static final int MAX_SUCCESSION_DEPTH = 8;

    private final Database database;
    private final RoomDirectory rooms;
    private final SessionAccess access;
    private final Clock clock;

    public ReportService(Database database, RoomDirectory rooms, SessionAccess access, Clock clock) {
        this.database = database;
        this.rooms = rooms;
        this.access = access;
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), RoomDirectory.ZONE);
    }

    /** The report of {@code period}, narrowed to {@code unitCode}'s area when given (null: the caller's whole reach). */
    public Report report(Principal actor, ReportPeriod period, String unitCode) {
        if (actor.role() == Role.ROOM_OPERATOR) {
            throw ApiException.forbidden("rooms have no reports");
        }
        if (unitCode != null) {
            if (rooms.find(unitCode).isEmpty()) {
                throw ApiException.badRequest("unit: no unit " + unitCode + " in the room directory",
                        new org.citizenreception.control.http.Problem.FieldError("unit", "unknown unit"));
            }
            if (!access.inArea(actor, unitCode)) {
                throw ApiException.forbidden("unit " + unitCode + " lies outside your unit's area");
            }
        }
        Map<String, Room> directory = new HashMap<>();
        rooms.all().forEach(r -> directory.put(r.code(), r));
        Optional<Set<String>> area = access.areaRooms(actor).map(TreeSet::new);
        Predicate<String> inReach = code -> code != null && area.map(a -> a.contains(code)).orElse(true)
                && (unitCode == null || rooms.isInArea(code, unitCode));

        List<PetitionFacts> all = Transactions.read(database, this::petitions);
        List<PetitionFacts> reached = new ArrayList<>();
        for (PetitionFacts p : all) {
            String reporting = successor(directory, p.originalUnit());
            if (inReach.test(p.originalUnit()) || inReach.test(reporting)) {
                reached.add(p.withReportingUnit(reporting));
            }
        }
        ReportPeriod before = period.previousYear();
        LocalDate today = today();
        Report.Totals current = totals(reached, period.from(), period.to(), today);
        Report.Totals previous = totals(reached, before.from(), before.to(), today);
        long backlog = reached.stream().filter(p -> p.receivedOn().isBefore(period.from())
                && !finished(p.statusOn(period.from().minusDays(1)))).count();
        List<PetitionFacts> resolved = reached.stream().filter(p -> within(p.decidedOn(), period.from(), period.to())).toList();
        long inTime = resolved.stream().filter(p -> p.decisionDue() != null && !p.decidedOn().isAfter(p.decisionDue())).count();
        Double rate = resolved.isEmpty() ? null : Math.round(1000.0 * inTime / resolved.size()) / 1000.0;

        List<PetitionFacts> received = reached.stream().filter(p -> within(p.receivedOn(), period.from(), period.to())).toList();
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (PetitionKind k : PetitionKind.values()) {
            byKind.put(k.name(), received.stream().filter(p -> p.kind() == k).count());
        }
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (PetitionStatus s : PetitionStatus.values()) {
            long n = received.stream().filter(p -> p.statusOn(period.to()) == s).count();
            if (n > 0) {
                byStatus.put(s.name(), n);
            }
        }
        Map<String, Long> agencies = new TreeMap<>();
        received.forEach(p -> agencies.merge(p.agency(), 1L, Long::sum));
        Map<String, TreeSet<String>> originals = new TreeMap<>();
        Map<String, Long> unitCounts = new TreeMap<>();
        for (PetitionFacts p : received) {
            unitCounts.merge(p.reportingUnit(), 1L, Long::sum);
            TreeSet<String> o = originals.computeIfAbsent(p.reportingUnit(), k -> new TreeSet<>());
            if (!p.originalUnit().equals(p.reportingUnit())) {
                o.add(p.originalUnit());
            }
        }
        List<Report.UnitRow> byUnit = unitCounts.entrySet().stream()
                .map(e -> new Report.UnitRow(e.getKey(), Optional.ofNullable(directory.get(e.getKey())).map(Room::name).orElse(e.getKey()),
                        List.copyOf(originals.get(e.getKey())), e.getValue()))
                .toList();
        List<Report.AgencyRow> byAgency = agencies.entrySet().stream().map(e -> new Report.AgencyRow(e.getKey(), e.getValue())).toList();
        boolean wholeProvince = area.isEmpty() && unitCode == null;
        List<Report.LeaderRow> leaders = Transactions.read(database, c -> leaders(c, period, inReach, directory, wholeProvince));
        return new Report(period.kind().slug(), period.from(), period.to(), unitCode, before.from(), before.to(), current, previous,
                backlog, inTime, rate, byUnit, byKind, byStatus, byAgency, leaders);
    }

    /** Overdue is counted on the period's last day, or today while the period runs: no deadline is missed in advance. */
    private static Report.Totals totals(List<PetitionFacts> petitions, LocalDate from, LocalDate to, LocalDate today) {
        long received = petitions.stream().filter(p -> within(p.receivedOn(), from, to)).count();
        long resolved = petitions.stream().filter(p -> within(p.decidedOn(), from, to)).count();
        LocalDate asOf = to.isAfter(today) ? today : to;
        long overdue = petitions.stream().filter(p -> p.overdueOn(asOf)).count();
        return new Report.Totals(received, resolved, overdue);
    }

    private static boolean within(LocalDate day, LocalDate from, LocalDate to) {
        return day != null && !day.isBefore(from) && !day.isAfter(to);
    }

    private static boolean finished(PetitionStatus s) {
        return s == null || FINISHED.contains(s);
    }

    /** The unit that carries on {@code code} today: itself, or the end of its chain of successors. */
    static String successor(Map<String, Room> directory, String code) {
        String current = code;
        for (int depth = 0; depth < MAX_SUCCESSION_DEPTH; depth++) {
            Room r = directory.get(current);
            if (r == null || r.successors() == null || r.successors().isEmpty()) {
                return current;
            }
            // A unit split between several successors is reported under the first in code order: one
            // line per petition, the original unit shown beside it.
            current = r.successors().stream().sorted().findFirst().orElseThrow();
        }
        return current;
    }

    private List<PetitionFacts> petitions(Connection c) throws SQLException {
        Map<Long, List<Dated<PetitionStatus>>> statuses = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT petition_id, to_status, effective_on FROM petition_status_history "
                + "ORDER BY petition_id, effective_on, id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                statuses.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Dated<>(LocalDate.parse(rs.getString(3)), PetitionStatus.valueOf(rs.getString(2))));
            }
        }
        Map<Long, List<StepFact>> steps = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT petition_id, step, effective_on, due_on FROM petition_steps "
                + "ORDER BY petition_id, id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                steps.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new StepFact(rs.getString(2),
                        LocalDate.parse(rs.getString(3)), rs.getString(4) == null ? null : LocalDate.parse(rs.getString(4))));
            }
        }
        List<PetitionFacts> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.id, p.kind, COALESCE(p.origin_room_code, s.host_room_code), "
                + "p.handler_agency, p.received_on, p.next_due_on FROM petitions p JOIN reception_sessions s ON s.id = p.session_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new PetitionFacts(PetitionKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(3),
                        rs.getString(4) == null ? "" : rs.getString(4), LocalDate.parse(rs.getString(5)),
                        rs.getString(6) == null ? null : LocalDate.parse(rs.getString(6)),
                        statuses.getOrDefault(id, List.of()), steps.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    private List<Report.LeaderRow> leaders(Connection c, ReportPeriod period, Predicate<String> inReach, Map<String, Room> directory,
                                           boolean wholeProvince) throws SQLException {
        record Person(String name, String position) {
        }
        Map<String, Person> people = new LinkedHashMap<>();
        Map<String, Long> held = new HashMap<>();
        if (wholeProvince) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, position FROM leaders WHERE active = 1 ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    people.put("L" + rs.getLong(1), new Person(rs.getString(2), rs.getString(3)));
                }
            }
        }
        Map<String, Long> leaderByName = new HashMap<>();
        Map<Long, Person> leaderById = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, position FROM leaders ORDER BY active DESC, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                leaderByName.putIfAbsent(sameName(rs.getString(2)), rs.getLong(1));
                leaderById.put(rs.getLong(1), new Person(rs.getString(2), rs.getString(3)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.scheduled_start, s.host_room_code, s.presiding_leader_id, "
                + "s.presiding_user_id, s.presiding_official, l.name, l.position, u.display_name FROM reception_sessions s "
                + "LEFT JOIN leaders l ON l.id = s.presiding_leader_id LEFT JOIN users u ON u.id = s.presiding_user_id "
                + "WHERE s.started_at IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate day = LocalDate.ofInstant(Instant.parse(rs.getString(1)), RoomDirectory.ZONE);
                String room = rs.getString(2);
                if (!within(day, period.from(), period.to()) || !(inReach.test(room) || inReach.test(successor(directory, room)))) {
                    continue;
                }
                String key;
                Person person;
                if (rs.getObject(3) != null) {
                    key = "L" + rs.getLong(3);
                    person = new Person(rs.getString(6), rs.getString(7));
                } else if (rs.getObject(4) != null) {
                    String name = rs.getString(8) == null || rs.getString(8).isBlank() ? rs.getString(5) : rs.getString(8);
                    Long sameLeader = leaderByName.get(sameName(name));
                    if (sameLeader != null) {
                        key = "L" + sameLeader;
                        person = leaderById.get(sameLeader);
                    } else {
                        key = "U" + rs.getLong(4);
                        person = new Person(name, "");
                    }
                } else {
                    key = "T" + rs.getString(5).trim();
                    person = new Person(rs.getString(5).trim(), "");
                }
                people.putIfAbsent(key, person);
                held.merge(key, 1L, Long::sum);
            }
        }
        List<Report.LeaderRow> rows = new ArrayList<>();
        people.forEach((key, p) -> {
            LeaderDuty duty = LeaderDuty.ofPosition(p.position());
            long n = held.getOrDefault(key, 0L);
            long min = duty.minimum(period.from(), period.to());
            rows.add(new Report.LeaderRow(p.name(), p.position() == null ? "" : p.position(), duty, n, min, n < min));
        });
        rows.sort(Comparator.comparing(Report.LeaderRow::name));
        return rows;
    }

    /** A name as people are matched by it: letters as typed, case and runs of spaces ignored. */
    static String sameName(String name) {
        return name == null ? "" : name.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }

    record Dated<T>(LocalDate on, T value) {
    }

    record StepFact(String step, LocalDate effectiveOn, LocalDate dueOn) {
    }

    /** What a report needs of one petition: its kind, units, dates and dated histories. */
    record PetitionFacts(PetitionKind kind, String originalUnit, String reportingUnit, String agency, LocalDate receivedOn,
                         LocalDate nextDueOn, List<Dated<PetitionStatus>> statuses, List<StepFact> steps) {

        PetitionFacts withReportingUnit(String unit) {
            return new PetitionFacts(kind, originalUnit, unit, agency, receivedOn, nextDueOn, statuses, steps);
        }

        /** The status on {@code day}, or null before the petition was received. */
        PetitionStatus statusOn(LocalDate day) {
            PetitionStatus s = null;
            for (Dated<PetitionStatus> d : statuses) {
                if (!d.on().isAfter(day)) {
                    s = d.value();
                }
            }
            return s;
        }

        /** The day the decision or conclusion was issued, or null. */
        LocalDate decidedOn() {
            return steps.stream().filter(s -> s.step().equals(PetitionStatus.DECIDED.name())).map(StepFact::effectiveOn)
                    .findFirst().orElse(null);
        }

        /** The resolution deadline in force when the decision was issued: that of the last step before it. */
        LocalDate decisionDue() {
            LocalDate due = null;
            for (StepFact s : steps) {
                if (s.step().equals(PetitionStatus.DECIDED.name())) {
                    return due;
                }
                if (s.dueOn() != null) {
                    due = s.dueOn();
                }
            }
            return null;
        }

        /**
         * Whether on {@code day} the petition awaited acceptance or resolution past its deadline. The
         * deadline is the last step's by then; before any step it is the acceptance or resolution
         * deadline the register holds, when nothing has happened to the petition since {@code day}.
         */
        boolean overdueOn(LocalDate day) {
            PetitionStatus s = statusOn(day);
            if (s == null || finished(s)) {
                return false;
            }
            LocalDate due = null;
            for (StepFact step : steps) {
                if (!step.effectiveOn().isAfter(day) && step.dueOn() != null) {
                    due = step.dueOn();
                }
            }
            if (due == null && steps.isEmpty() && statuses.stream().noneMatch(d -> d.on().isAfter(day))) {
                due = nextDueOn;
            }
            return due != null && due.isBefore(day);
        }
    }
}
