package org.citizenreception.control.recording;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.attendance.AttendanceReport;
import org.citizenreception.control.attendance.AttendanceService;
import org.citizenreception.control.audit.AuditEntry;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.petition.PetitionView;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionService;

/**
 * The session record (biên bản) as data: what the HTML page and the PDF/A file both print, in one
 * language (Vietnamese when filed). Personal data as rooms see it: the record is filed and may be
 * shown to them. Names, summaries and agencies are printed as entered, in whichever language.
 *
 * @param sections titled blocks of lines, in reading order
 */
record SessionRecord(long sessionId, RecordLanguage language, String title, List<Section> sections) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    /**
     * A heading and its lines; a line of a table is its cells.
     *
     * @param columnHeadings whether the first row names the columns (a table) or is a first line (a list of fields)
     */
    record Section(String heading, boolean columnHeadings, List<List<String>> rows) {
    }

    /** Gathers the record of {@code sessionId} from the services that own each part. */
    static SessionRecord of(long sessionId, RecordLanguage lang, SessionService sessions, AttendanceService attendance,
                            PetitionService petitions, AuditLog audit, RoomDirectory rooms, List<Recording> recordings) {
        DateTimeFormatter timeFormat = lang.time();
        java.util.function.Function<Instant, String> time = at -> at == null ? "—" : timeFormat.format(at);
        ReceptionSession s = sessions.get(sessionId);
        List<Section> sections = new ArrayList<>();
        sections.add(new Section(lang.label("section.session"), false, List.of(
                List.of(lang.label("session.title"), s.title()),
                List.of(lang.label("session.presiding"), s.presidingOfficial()),
                List.of(lang.label("session.hostRoom"), rooms.find(s.hostRoomCode()).map(Room::name).orElse(s.hostRoomCode())),
                List.of(lang.label("session.scheduled"), time.apply(s.scheduledStart()) + " – " + time.apply(s.scheduledEnd())),
                List.of(lang.label("session.started"), time.apply(s.startedAt())),
                List.of(lang.label("session.ended"), time.apply(s.endedAt())),
                List.of(lang.label("session.state"), lang.labelOr("state." + s.state().name(), s.state().name())))));

        AttendanceReport report = attendance.report(sessionId);
        List<List<String>> roomRows = new ArrayList<>();
        roomRows.add(List.of(lang.label("rooms.room"), lang.label("rooms.presence"), lang.label("rooms.minutes"),
                lang.label("rooms.officials"), lang.label("rooms.citizens")));
        for (AttendanceReport.Line line : report.rooms()) {
            String officials = String.join("; ", line.officials().stream()
                    .map(o -> o.name() + (o.title() == null || o.title().isBlank() ? "" : " (" + o.title() + ")")).toList());
            roomRows.add(List.of(line.roomName() + " [" + line.roomCode() + "]", lang.label("presence." + line.presence().name()),
                    String.valueOf(line.minutesConnected()), officials.isEmpty() ? "—" : officials,
                    line.citizens() == null ? "—" : String.valueOf(line.citizens())));
        }
        sections.add(new Section(lang.label("section.rooms", report.invited(), report.present(), report.absent()), true, roomRows));

        List<List<String>> petitionRows = new ArrayList<>();
        petitionRows.add(List.of(lang.label("petitions.registerNumber"), lang.label("petitions.kind"), lang.label("petitions.petitioners"),
                lang.label("petitions.summary"), lang.label("petitions.agency"), lang.label("petitions.deadlines")));
        for (PetitionView p : petitions.forSessionRecord(sessionId)) {
            String who = p.personalData() == PetitionView.PersonalData.CONFIDENTIAL || p.petitioners() == null || p.petitioners().isEmpty()
                    ? lang.label("petitions.withheld") : String.join("; ", p.petitioners().stream().map(x -> x.name() == null ? "" : x.name()).toList());
            String deadlines = p.deadlines() == null ? "" : String.join("; ", p.deadlines().stream()
                    .map(d -> lang.labelOr("deadline." + d.kind().name(), d.kind().name()) + ": "
                            + (d.dueOn() == null ? "—" : DAY.format(d.dueOn()))).toList());
            petitionRows.add(List.of(p.registerNumber(), lang.labelOr("kind." + p.kind().name(), p.kind().name()), who, p.summary(),
                    p.handlerAgency() == null || p.handlerAgency().isBlank() ? "—" : p.handlerAgency(), deadlines.isEmpty() ? "—" : deadlines));
        }
        sections.add(new Section(lang.label("section.petitions", petitionRows.size() - 1), true, petitionRows));

        List<List<String>> floorRows = new ArrayList<>();
        floorRows.add(List.of(lang.label("floor.time"), lang.label("floor.event")));
        List<AuditEntry> entries = new ArrayList<>(audit.list(Optional.of("session"), Optional.of(String.valueOf(sessionId)),
                Optional.empty(), 1000));
        java.util.Collections.reverse(entries);
        for (AuditEntry e : entries) {
            if (e.action().equals("media.share") || e.action().equals("stage.content.stop")) {
                contentEvent(e, s, lang, rooms).ifPresent(event -> floorRows.add(List.of(time.apply(Instant.parse(e.at())), event)));
                continue;
            }
            if (!e.action().startsWith("floor.grant") && !e.action().equals("floor.revoke")) {
                continue;
            }
            String room = e.detail() == null ? "" : e.detail().path("room").asText("");
            String name = rooms.find(room).map(Room::name).orElse(room);
            floorRows.add(List.of(time.apply(Instant.parse(e.at())),
                    lang.label(e.action().equals("floor.revoke") ? "floor.revoked" : "floor.granted", name)));
        }
        sections.add(new Section(lang.label("section.floor"), true, floorRows));

        List<List<String>> fileRows = new ArrayList<>();
        fileRows.add(List.of(lang.label("files.file"), lang.label("files.duration"), lang.label("files.sha256")));
        for (Recording r : recordings) {
            fileRows.add(List.of(r.fileName() + (r.interrupted() ? " " + lang.label("files.recovered") : ""),
                    String.valueOf(r.durationMs() / 1000), r.sha256()));
        }
        sections.add(new Section(lang.label("section.files"), true, fileRows));
        return new SessionRecord(sessionId, lang, lang.label("title"), sections);
    }

    /** "Phiên số 12" / "Session no. 12". */
    String sessionNumber() {
        return language.label("sessionNumber", sessionId);
    }

    /** A share of the stage's content slot (by the host, or the room on the floor), or the host stopping one; empty for a stop that stopped nothing. */
    private static Optional<String> contentEvent(AuditEntry e, ReceptionSession s, RecordLanguage lang, RoomDirectory rooms) {
        if (e.action().equals("stage.content.stop")) {
            boolean stopped = e.detail() == null || e.detail().path("stopped").asBoolean(true);
            return stopped ? Optional.of(lang.label("floor.contentStopped")) : Optional.empty();
        }
        String room = e.detail() == null ? "" : e.detail().path("room").asText("");
        String who = room.isEmpty() || room.equals(s.hostRoomCode()) ? s.presidingOfficial() : rooms.find(room).map(Room::name).orElse(room);
        return Optional.of(lang.label("floor.contentShared", who));
    }
}
