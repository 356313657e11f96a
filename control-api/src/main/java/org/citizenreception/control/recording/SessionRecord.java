package org.citizenreception.control.recording;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The session record (biên bản) as data: what the HTML page and the PDF/A file both print, in
 * Vietnamese. Personal data as rooms see it: the record is filed and may be shown to them.
 *
 * @param sections titled blocks of lines, in reading order
 */
record SessionRecord(long sessionId, String title, List<Section> sections) {
    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'ngày' dd/MM/yyyy").withZone(ZONE);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    /** A heading and its lines; a line of a table is its cells. */
    record Section(String heading, List<List<String>> rows) {
    }

    /** Gathers the record of {@code sessionId} from the services that own each part. */
    static SessionRecord of(long sessionId, SessionService sessions, AttendanceService attendance, PetitionService petitions,
                            AuditLog audit, RoomDirectory rooms, List<Recording> recordings) {
        ReceptionSession s = sessions.get(sessionId);
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Thông tin phiên tiếp", List.of(
                List.of("Tên phiên", s.title()),
                List.of("Người chủ trì", s.presidingOfficial()),
                List.of("Điểm cầu chủ trì", rooms.find(s.hostRoomCode()).map(Room::name).orElse(s.hostRoomCode())),
                List.of("Thời gian dự kiến", time(s.scheduledStart()) + " – " + time(s.scheduledEnd())),
                List.of("Bắt đầu", time(s.startedAt())),
                List.of("Kết thúc", time(s.endedAt())),
                List.of("Trạng thái", s.state().name()))));

        AttendanceReport report = attendance.report(sessionId);
        List<List<String>> roomRows = new ArrayList<>();
        roomRows.add(List.of("Điểm cầu", "Có mặt", "Số phút kết nối", "Cán bộ dự", "Số công dân"));
        for (AttendanceReport.Line line : report.rooms()) {
            String officials = String.join("; ", line.officials().stream()
                    .map(o -> o.name() + (o.title() == null || o.title().isBlank() ? "" : " (" + o.title() + ")")).toList());
            roomRows.add(List.of(line.roomName() + " [" + line.roomCode() + "]",
                    line.presence() == AttendanceReport.Presence.PRESENT ? "Có mặt" : "Vắng mặt",
                    String.valueOf(line.minutesConnected()), officials.isEmpty() ? "—" : officials,
                    line.citizens() == null ? "—" : String.valueOf(line.citizens())));
        }
        sections.add(new Section("Điểm cầu được mời: " + report.invited() + ", có mặt: " + report.present() + ", vắng mặt: "
                + report.absent(), roomRows));

        List<List<String>> petitionRows = new ArrayList<>();
        petitionRows.add(List.of("Số vào sổ", "Loại đơn", "Người gửi", "Nội dung", "Cơ quan xử lý", "Thời hạn"));
        for (PetitionView p : petitions.forSessionRecord(sessionId)) {
            String who = p.personalData() == PetitionView.PersonalData.CONFIDENTIAL || p.petitioners() == null || p.petitioners().isEmpty()
                    ? "(giữ bí mật)" : String.join("; ", p.petitioners().stream().map(x -> x.name() == null ? "" : x.name()).toList());
            String deadlines = p.deadlines() == null ? "" : String.join("; ", p.deadlines().stream()
                    .map(d -> kindOfDeadline(d.kind().name()) + ": " + (d.dueOn() == null ? "—" : DAY.format(d.dueOn()))).toList());
            petitionRows.add(List.of(p.registerNumber(), kindOfPetition(p.kind().name()), who, p.summary(),
                    p.handlerAgency() == null || p.handlerAgency().isBlank() ? "—" : p.handlerAgency(), deadlines.isEmpty() ? "—" : deadlines));
        }
        sections.add(new Section("Đơn thư được tiếp nhận (" + (petitionRows.size() - 1) + ")", petitionRows));

        List<List<String>> floorRows = new ArrayList<>();
        floorRows.add(List.of("Thời điểm", "Diễn biến"));
        List<AuditEntry> entries = new ArrayList<>(audit.list(Optional.of("session"), Optional.of(String.valueOf(sessionId)),
                Optional.empty(), 1000));
        java.util.Collections.reverse(entries);
        for (AuditEntry e : entries) {
            if (!e.action().startsWith("floor.grant") && !e.action().equals("floor.revoke")) {
                continue;
            }
            String room = e.detail() == null ? "" : e.detail().path("room").asText("");
            String name = rooms.find(room).map(Room::name).orElse(room);
            floorRows.add(List.of(time(Instant.parse(e.at())), e.action().equals("floor.revoke")
                    ? "Chủ trì lấy lại quyền phát biểu từ " + name : "Trao quyền phát biểu cho " + name));
        }
        sections.add(new Section("Diễn biến quyền phát biểu", floorRows));

        List<List<String>> fileRows = new ArrayList<>();
        fileRows.add(List.of("Tệp ghi hình", "Thời lượng (giây)", "SHA-256"));
        for (Recording r : recordings) {
            fileRows.add(List.of(r.fileName() + (r.interrupted() ? " (khôi phục sau sự cố)" : ""),
                    String.valueOf(r.durationMs() / 1000), r.sha256()));
        }
        sections.add(new Section("Bản ghi hình", fileRows));
        return new SessionRecord(sessionId, "BIÊN BẢN PHIÊN TIẾP CÔNG DÂN TRỰC TUYẾN", sections);
    }

    private static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    private static final Map<String, String> PETITION_KINDS = Map.of("COMPLAINT", "Khiếu nại", "DENUNCIATION", "Tố cáo",
            "RECOMMENDATION", "Kiến nghị", "REFLECTION", "Phản ánh");

    private static String kindOfPetition(String kind) {
        return PETITION_KINDS.getOrDefault(kind, kind);
    }

    private static String kindOfDeadline(String kind) {
        return switch (kind) {
            case "RESULT_NOTICE" -> "Thông báo kết quả xử lý";
            case "COMPLAINT_ACCEPTANCE" -> "Thụ lý khiếu nại";
            case "COMPLAINT_RESOLUTION" -> "Giải quyết khiếu nại";
            case "DENUNCIATION_SCREENING" -> "Xử lý ban đầu tố cáo";
            default -> kind;
        };
    }
}
