package org.citizenreception.control.room;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.error.InvalidFieldException;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;

/**
 * The room directory service. Reads come from an in-memory snapshot of the whole directory (a few
 * hundred rows), rebuilt after any committed change, so the access checks of every request cost
 * no query. Every change is validated as a whole tree (parents exist, no cycle, levels in order),
 * audited, and done in one transaction.
 */
public final class RoomDirectory {
    /** Validity dates are calendar days in Vietnam. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final int MAX_ERRORS_REPORTED = 50;

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Map<String, Room> snapshot;

    public RoomDirectory(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The outcome of an import: rows read, rooms created, updated, and retired: rooms valid today
     * before the import whose row in the file ends them before today ({@code retiredAfter}: the
     * latest such last day).
     */
    public record ImportResult(int rows, int created, int updated, int retired, LocalDate retiredAfter) {
    }

    public Optional<Room> find(String code) {
        return Optional.ofNullable(code == null ? null : rooms().get(code));
    }

    /** The room and every room below it, parents before children; empty when the code is unknown. */
    public List<Room> subtree(String code) {
        Map<String, Room> rooms = rooms();
        Room root = rooms.get(code);
        if (root == null) {
            return List.of();
        }
        Map<String, List<Room>> children = childrenByParent(rooms.values());
        List<Room> out = new ArrayList<>();
        List<Room> queue = new ArrayList<>(List.of(root));
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            Room r = queue.remove(0);
            if (seen.add(r.code())) {
                out.add(r);
                queue.addAll(children.getOrDefault(r.code(), List.of()));
            }
        }
        return out;
    }

    /**
     * Whether {@code code} is {@code unit} or lies below it in the tree (a unit's area). A null
     * {@code unit} means the province root: every room is in its area. An unknown unit has no area
     * (fail closed: a unit removed from the directory must not widen anyone's reach).
     */
    public boolean isInArea(String code, String unit) {
        if (unit == null || unit.equals(code)) {
            return true;
        }
        Map<String, Room> rooms = rooms();
        Room u = rooms.get(unit);
        if (u == null) {
            return false;
        }
        if (u.parentCode() == null) {
            return true;
        }
        Room r = rooms.get(code);
        for (int depth = 0; r != null && depth < 64; depth++) {
            if (unit.equals(r.code())) {
                return true;
            }
            r = r.parentCode() == null ? null : rooms.get(r.parentCode());
        }
        return false;
    }

    /** The root of the directory (the province office), or null while the directory is empty. */
    public String rootCode() {
        return rooms().values().stream().filter(r -> r.parentCode() == null).map(Room::code).sorted().findFirst().orElse(null);
    }

    /** The direct children of a room, in code order. */
    /**
     * {@code code} and its parents' codes up to the root, nearest first (what a media bridge's region
     * is matched against); just {@code code} when the room is unknown. Bounded: a directory with a
     * cycle stops at the first repeat.
     */
    public List<String> pathToRoot(String code) {
        List<String> path = new java.util.ArrayList<>();
        String current = code;
        while (current != null && !path.contains(current)) {
            path.add(current);
            current = find(current).map(Room::parentCode).orElse(null);
        }
        return path;
    }

    public List<Room> children(String code) {
        return childrenByParent(rooms().values()).getOrDefault(code, List.of());
    }

    /** Every room ever in the directory, retired ones included, in code order. */
    public List<Room> all() {
        return List.copyOf(rooms().values());
    }

    /** The rooms that exist on {@code day}. */
    public List<Room> activeOn(LocalDate day) {
        return rooms().values().stream().filter(r -> r.activeOn(day)).toList();
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZONE));
    }

    /**
     * Imports a directory file (one era, or several): every row is upserted by code with the
     * validity dates the file gives it. A stored room the file does not list is left as it is: a file
     * speaks for the units it lists (the 2024 file knows nothing of the 2025 units, nor the 2025 file
     * of the 2024 ones), so eras import in any order, twice or not, and the rooms valid today stay
     * valid unless the file itself dates them. Rooms are never deleted. All or nothing: any error in
     * the file changes nothing.
     *
     * @throws DomainException 422 naming the line and column of each problem found
     */
    public ImportResult importCsv(String csv, Principal actor, String remoteAddress) {
        RoomCsv.Parsed parsed = RoomCsv.parse(csv);
        if (!parsed.errors().isEmpty()) {
            throw csvProblem(parsed.errors());
        }
        Instant now = clock.instant();
        return Transactions.inTransaction(database, c -> {
            Map<String, Room> stored = RoomRepository.loadAll(c);
            Map<String, Room> merged = new LinkedHashMap<>(stored);
            for (RoomCsv.Row row : parsed.rows()) {
                merged.put(row.room().code(), row.room());
            }
            List<RoomCsv.LineError> errors = new ArrayList<>();
            for (RoomCsv.Row row : parsed.rows()) {
                treeError(merged, row.room()).ifPresent(e -> errors.add(new RoomCsv.LineError(row.line(), e.field(), e.message())));
            }
            if (!errors.isEmpty()) {
                throw csvProblem(errors);
            }
            LocalDate today = today();
            int created = 0;
            int retired = 0;
            LocalDate lastRetiredDay = null;
            for (Room room : parentsFirst(parsed.rows().stream().map(RoomCsv.Row::room).toList(), merged)) {
                if (RoomRepository.upsert(c, room, now)) {
                    created++;
                }
                Room before = stored.get(room.code());
                if (before != null && before.activeOn(today) && room.validTo() != null && room.validTo().isBefore(today)) {
                    retired++;
                    lastRetiredDay = lastRetiredDay == null || room.validTo().isAfter(lastRetiredDay) ? room.validTo() : lastRetiredDay;
                }
                for (String p : room.predecessors()) {
                    RoomRepository.link(c, p, room.code());
                }
                for (String s : room.successors()) {
                    RoomRepository.link(c, room.code(), s);
                }
            }
            int rows = parsed.rows().size();
            ImportResult r = new ImportResult(rows, created, rows - created, retired, lastRetiredDay);
            audit.record(c, actor, remoteAddress, "room.import", "room-directory", null, Map.of(
                    "rows", rows, "created", created, "updated", rows - created, "retired", retired));
            Transactions.afterCommit(this::invalidate);
            return r;
        });
    }

    /** Creates one room. @throws DomainException 409 when the code exists, 422 for an invalid tree */
    public Room create(Room room, Principal actor, String remoteAddress) {
        return Transactions.inTransaction(database, c -> {
            Map<String, Room> stored = RoomRepository.loadAll(c);
            if (stored.containsKey(room.code())) {
                throw DomainErrors.conflict("Room " + room.code() + " already exists");
            }
            stored.put(room.code(), room);
            requireValidTree(stored, room);
            RoomRepository.upsert(c, room, clock.instant());
            for (String p : room.predecessors()) {
                RoomRepository.link(c, p, room.code());
            }
            for (String s : room.successors()) {
                RoomRepository.link(c, room.code(), s);
            }
            audit.record(c, actor, remoteAddress, "room.create", "room", room.code(), Map.of("level", room.level().name()));
            Transactions.afterCommit(this::invalidate);
            return room;
        });
    }

    /** Replaces a room's fields (code stays) and adds any new merger links. */
    public Room update(String code, java.util.function.UnaryOperator<Room> change, Principal actor, String remoteAddress) {
        return Transactions.inTransaction(database, c -> {
            Map<String, Room> stored = RoomRepository.loadAll(c);
            Room current = stored.get(code);
            if (current == null) {
                throw DomainErrors.notFound("Room " + code);
            }
            Room updated = change.apply(current);
            stored.put(code, updated);
            requireValidTree(stored, updated);
            RoomRepository.upsert(c, updated, clock.instant());
            for (String p : updated.predecessors()) {
                RoomRepository.link(c, p, code);
            }
            for (String s : updated.successors()) {
                RoomRepository.link(c, code, s);
            }
            audit.record(c, actor, remoteAddress, "room.update", "room", code, changedFields(current, updated));
            Transactions.afterCommit(this::invalidate);
            return RoomRepository.loadAll(c).get(code);
        });
    }

    /**
     * Ends a room's validity on {@code lastDay} instead of deleting it: sessions, attendance and
     * petitions of the past still point at it.
     *
     * @throws DomainException 409 while rooms below it are still valid after that day
     */
    public Room retire(String code, LocalDate lastDay, Principal actor, String remoteAddress) {
        return Transactions.inTransaction(database, c -> {
            Map<String, Room> stored = RoomRepository.loadAll(c);
            Room current = stored.get(code);
            if (current == null) {
                throw DomainErrors.notFound("Room " + code);
            }
            List<String> openChildren = stored.values().stream()
                    .filter(r -> code.equals(r.parentCode()) && (r.validTo() == null || r.validTo().isAfter(lastDay)))
                    .map(Room::code).toList();
            if (!openChildren.isEmpty()) {
                throw DomainErrors.conflict("Room " + code + " still has valid rooms below it: "
                        + String.join(", ", openChildren.subList(0, Math.min(10, openChildren.size())))
                        + (openChildren.size() > 10 ? " and " + (openChildren.size() - 10) + " more" : ""));
            }
            RoomRepository.retire(c, code, lastDay, clock.instant());
            audit.record(c, actor, remoteAddress, "room.retire", "room", code, Map.of("validTo", lastDay.toString()));
            Transactions.afterCommit(this::invalidate);
            return RoomRepository.loadAll(c).get(code);
        });
    }

    public boolean isEmpty() {
        return rooms().isEmpty();
    }

    private Map<String, Room> rooms() {
        Map<String, Room> s = snapshot;
        if (s == null) {
            long generation = changes.get();
            s = java.util.Collections.unmodifiableMap(Transactions.read(database, RoomRepository::loadAll));
            // A change committed while loading may be missing from what was read: keep it only if none did.
            if (changes.get() == generation) {
                snapshot = s;
            }
        }
        return s;
    }

    private void invalidate() {
        changes.incrementAndGet();
        snapshot = null;
    }

    private static void requireValidTree(Map<String, Room> merged, Room room) {
        treeError(merged, room).ifPresent(e -> {
            throw DomainErrors.invalid(e.field() + ": " + e.message(),
                    List.of(new FieldError(camel(e.field()), e.message())));
        });
    }

    /** Parent exists, levels in order, no cycle through this room. */
    private static Optional<FieldError> treeError(Map<String, Room> merged, Room room) {
        if (room.parentCode() == null) {
            return Optional.empty();
        }
        Room parent = merged.get(room.parentCode());
        if (parent == null) {
            return Optional.of(new FieldError("parent_code", "unknown parent '" + room.parentCode() + "'"));
        }
        if (!room.level().mayBeChildOf(parent.level())) {
            return Optional.of(new FieldError("level", room.level() + " cannot be under " + parent.level()
                    + " '" + parent.code() + "'"));
        }
        Set<String> seen = new HashSet<>();
        seen.add(room.code());
        for (Room r = parent; r != null; r = r.parentCode() == null ? null : merged.get(r.parentCode())) {
            if (!seen.add(r.code())) {
                return Optional.of(new FieldError("parent_code", "parent '" + room.parentCode()
                        + "' makes a cycle through '" + r.code() + "'"));
            }
        }
        return Optional.empty();
    }

    /** Orders rooms so that a parent in the list is written before its children (foreign keys). */
    private static List<Room> parentsFirst(List<Room> rooms, Map<String, Room> merged) {
        Map<String, Integer> depth = new HashMap<>();
        for (Room r : rooms) {
            int d = 0;
            for (Room p = r; p.parentCode() != null && merged.containsKey(p.parentCode()) && d < merged.size();
                 p = merged.get(p.parentCode())) {
                d++;
            }
            depth.put(r.code(), d);
        }
        return rooms.stream().sorted(Comparator.comparing(r -> depth.get(r.code()))).toList();
    }

    private static Map<String, List<Room>> childrenByParent(java.util.Collection<Room> rooms) {
        Map<String, List<Room>> children = new HashMap<>();
        for (Room r : rooms) {
            if (r.parentCode() != null) {
                children.computeIfAbsent(r.parentCode(), k -> new ArrayList<>()).add(r);
            }
        }
        return children;
    }

    private static Map<String, Object> changedFields(Room before, Room after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (!before.name().equals(after.name())) {
            changed.put("name", "changed");
        }
        if (before.level() != after.level()) {
            changed.put("level", after.level().name());
        }
        if (!Objects.equals(before.parentCode(), after.parentCode())) {
            changed.put("parentCode", after.parentCode());
        }
        if (!Objects.equals(before.validFrom(), after.validFrom())) {
            changed.put("validFrom", String.valueOf(after.validFrom()));
        }
        if (!Objects.equals(before.validTo(), after.validTo())) {
            changed.put("validTo", String.valueOf(after.validTo()));
        }
        return changed;
    }

    private static InvalidFieldException csvProblem(List<RoomCsv.LineError> errors) {
        RoomCsv.LineError first = errors.get(0);
        String detail = "CSV line " + first.line() + ", field " + first.field() + ": " + first.message()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more problems)" : "")
                + "; nothing was imported";
        List<FieldError> fields = errors.stream().limit(MAX_ERRORS_REPORTED)
                .map(e -> new FieldError(e.field(), "line " + e.line() + ": " + e.message())).toList();
        return DomainErrors.invalid(detail, fields);
    }

    private static String camel(String column) {
        return switch (column) {
            case "parent_code" -> "parentCode";
            case "valid_from" -> "validFrom";
            case "valid_to" -> "validTo";
            default -> column;
        };
    }

}
