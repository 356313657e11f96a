package org.citizenreception.control.room;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.PatchBody;
import org.citizenreception.control.identity.Principal;

/**
 * {@code /api/v1/rooms}: every signed-in account reads the directory; admins change it and import
 * CSV directories.
 */
public final class RoomController {
    record CreateRequest(String code, String name, RoomLevel level, String parentCode, LocalDate validFrom,
                         LocalDate validTo, List<String> predecessors, List<String> successors) {
    }

    static final Set<String> PATCH_FIELDS = Set.of("name", "level", "parentCode", "validFrom", "validTo");

    private final RoomDirectory rooms;

    public RoomController(RoomDirectory rooms) {
        this.rooms = rooms;
    }

    /** {@code ?view=flat|tree} (flat by default), {@code ?activeOn=YYYY-MM-DD} keeps rooms existing that day. */
    public void list(Context ctx) {
        String activeOn = ctx.queryParam("activeOn");
        List<Room> list = activeOn == null ? rooms.all() : rooms.activeOn(date("activeOn", activeOn));
        String view = ctx.queryParamAsClass("view", String.class).getOrDefault("flat");
        switch (view) {
            case "flat" -> ctx.json(list);
            case "tree" -> ctx.json(tree(list));
            default -> throw DomainErrors.invalid("view", "flat or tree");
        }
    }

    public void get(Context ctx) {
        String code = ctx.pathParam("code");
        ctx.json(rooms.find(code).orElseThrow(() -> DomainErrors.notFound("Room " + code)));
    }

    public void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        CreateRequest r = JsonBody.read(ctx, CreateRequest.class);
        if (r.code() == null || !RoomCsv.CODE.matcher(r.code()).matches()) {
            throw DomainErrors.invalid("code", "1-40 letters, digits, '.', '_' or '-'");
        }
        Room room = new Room(r.code(), name(r.name()), required("level", r.level()), r.parentCode(), r.validFrom(),
                r.validTo(), codes("predecessors", r.predecessors()), codes("successors", r.successors()));
        requireDates(room);
        Room created = rooms.create(room, p, ctx.ip());
        ctx.status(201).header("Location", "/api/v1/rooms/" + created.code()).json(created);
    }

    public void update(Context ctx) {
        Principal p = Authentication.caller(ctx);
        String code = ctx.pathParam("code");
        PatchBody patch = PatchBody.read(ctx, PATCH_FIELDS);
        Room updated = rooms.update(code, current -> {
            Room r = new Room(current.code(),
                    patch.text("name").map(v -> name(v.orElse(null))).orElse(current.name()),
                    patch.text("level").map(v -> level(v.orElse(null))).orElse(current.level()),
                    patch.text("parentCode").map(v -> v.orElse(null)).orElse(current.parentCode()),
                    patch.date("validFrom").map(v -> v.orElse(null)).orElse(current.validFrom()),
                    patch.date("validTo").map(v -> v.orElse(null)).orElse(current.validTo()),
                    current.predecessors(), current.successors());
            requireDates(r);
            return r;
        }, p, ctx.ip());
        ctx.json(updated);
    }

    /** Retires the room from today (or {@code ?validTo=}); rooms are never deleted. */
    public void retire(Context ctx) {
        Principal p = Authentication.caller(ctx);
        String lastDay = ctx.queryParam("validTo");
        ctx.json(rooms.retire(ctx.pathParam("code"), lastDay == null ? rooms.today() : date("validTo", lastDay), p, ctx.ip()));
    }

    /** {@code text/csv} body: the whole directory (see {@link RoomCsv}). */
    public void importCsv(Context ctx) {
        Principal p = Authentication.caller(ctx);
        String csv = JsonBody.text(ctx, "text/csv");
        ctx.json(rooms.importCsv(csv, p, ctx.ip()));
    }

    /** Nodes with their children; a room whose parent is not in the list becomes a root. */
    static List<Map<String, Object>> tree(List<Room> list) {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        for (Room r : list) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("code", r.code());
            node.put("name", r.name());
            node.put("level", r.level());
            node.put("parentCode", r.parentCode());
            node.put("validFrom", r.validFrom());
            node.put("validTo", r.validTo());
            node.put("predecessors", r.predecessors());
            node.put("successors", r.successors());
            node.put("children", new ArrayList<Map<String, Object>>());
            nodes.put(r.code(), node);
        }
        List<Map<String, Object>> roots = new ArrayList<>();
        for (Room r : list) {
            Map<String, Object> parent = r.parentCode() == null ? null : nodes.get(r.parentCode());
            if (parent == null) {
                roots.add(nodes.get(r.code()));
            } else {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> children = (List<Map<String, Object>>) parent.get("children");
                children.add(nodes.get(r.code()));
            }
        }
        return roots;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw DomainErrors.invalid("name", "must not be empty");
        }
        if (name.length() > RoomCsv.MAX_NAME_LENGTH) {
            throw DomainErrors.invalid("name", "at most " + RoomCsv.MAX_NAME_LENGTH + " characters");
        }
        return org.citizenreception.control.validation.Fields.name("name", name, RoomCsv.MAX_NAME_LENGTH);
    }

    private static RoomLevel level(String value) {
        try {
            return RoomLevel.valueOf(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw DomainErrors.invalid("level", "one of PROVINCE, DISTRICT, COMMUNE, WARD, SPECIAL_ZONE, TOWNSHIP");
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw DomainErrors.invalid(field, "required");
        }
        return value;
    }

    private static void requireDates(Room r) {
        if (r.validFrom() != null && r.validTo() != null && r.validTo().isBefore(r.validFrom())) {
            throw DomainErrors.invalid("validTo", "is before validFrom");
        }
    }

    private static List<String> codes(String field, List<String> codes) {
        if (codes == null) {
            return List.of();
        }
        for (String c : codes) {
            if (c == null || !RoomCsv.CODE.matcher(c).matches()) {
                throw DomainErrors.invalid(field, "each entry must be a room code");
            }
        }
        return List.copyOf(new HashSet<>(codes)).stream().sorted().toList();
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainErrors.badRequest(field + ": expected a date YYYY-MM-DD",
                    new FieldError(field, "expected a date YYYY-MM-DD"));
        }
    }
}
