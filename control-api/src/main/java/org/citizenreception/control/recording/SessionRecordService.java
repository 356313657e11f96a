package org.citizenreception.control.recording;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.citizenreception.control.attendance.AttendanceService;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.user.Principal;

/**
 * The session record (biên bản) on demand, as HTML or PDF/A-2b; each generation's SHA-256 goes to
 * the audit log, so a filed copy can be matched to the record the system produced.
 */
public final class SessionRecordService {
    private final SessionService sessions;
    private final AttendanceService attendance;
    private final PetitionService petitions;
    private final AuditLog audit;
    private final RoomDirectory rooms;
    private final RecordingArchive archive;

    public SessionRecordService(SessionService sessions, AttendanceService attendance, PetitionService petitions, AuditLog audit,
                                RoomDirectory rooms, RecordingArchive archive) {
        this.sessions = sessions;
        this.attendance = attendance;
        this.petitions = petitions;
        this.audit = audit;
        this.rooms = rooms;
        this.archive = archive;
    }

    /** A generated record and its hash. */
    public record Generated(byte[] content, String sha256) {
    }

    public Generated pdf(Principal actor, String remote, long sessionId) {
        return audited(actor, remote, sessionId, "pdf", SessionRecordPdf.render(record(sessionId)));
    }

    public Generated html(Principal actor, String remote, long sessionId) {
        return audited(actor, remote, sessionId, "html",
                SessionRecordHtml.render(record(sessionId)).getBytes(StandardCharsets.UTF_8));
    }

    private SessionRecord record(long sessionId) {
        return SessionRecord.of(sessionId, sessions, attendance, petitions, audit, rooms, archive.list(sessionId));
    }

    private Generated audited(Principal actor, String remote, long sessionId, String format, byte[] content) {
        String sha256 = RecordingArchive.sha256(content);
        audit.record(actor, remote, "session.record.generate", "session", String.valueOf(sessionId),
                Map.of("format", format, "sha256", sha256, "sizeBytes", content.length));
        return new Generated(content, sha256);
    }
}
