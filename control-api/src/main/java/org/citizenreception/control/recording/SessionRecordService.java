package org.citizenreception.control.recording;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.citizenreception.control.attendance.AttendanceService;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.identity.Principal;

/**
 * The session record (biên bản) on demand, as HTML or PDF/A-2b; each generation's SHA-256 goes to
 * the audit log, so a filed copy can be matched to the record the system produced.
 */
public final class SessionRecordService implements org.citizenreception.control.session.SessionLifecycleListener {
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

    /** The record as PDF/A-2b in {@code lang} (the {@code lang} query parameter: vi, the default, or en). */
    public Generated pdf(Principal actor, String remote, long sessionId, String lang) {
        RecordLanguage language = RecordLanguage.of(lang);
        return audited(actor, remote, sessionId, "pdf", language, SessionRecordPdf.render(record(sessionId, language)));
    }

    public Generated html(Principal actor, String remote, long sessionId, String lang) {
        RecordLanguage language = RecordLanguage.of(lang);
        return audited(actor, remote, sessionId, "html", language,
                SessionRecordHtml.render(record(sessionId, language)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Files the record of an ended session into its archive as PDF/A (sealed, hash audited). A
     * recorded session files it once its recordings are sealed, so their hashes are in it; others
     * when they end. Background thread; failures are logged, the on-demand record remains.
     */
    public void file(long sessionId) {
        try {
            byte[] pdf = SessionRecordPdf.render(record(sessionId, RecordLanguage.VI)); // filed in the official language
            java.nio.file.Path dir = archive.sessionDir(sessionId);
            org.citizenreception.control.store.OwnerOnlyFiles.folder(dir);
            java.nio.file.Path file = dir.resolve("bien-ban-phien-" + sessionId + ".pdf");
            java.nio.file.Files.write(file, pdf);
            java.time.Instant now = java.time.Instant.now();
            archive.seal(sessionId, "RECORD", file, "application/pdf", now, now, false);
        } catch (java.io.IOException | RuntimeException e) {
            log.error("session {}: the session record could not be filed", sessionId, e);
        }
    }

    /** A session that ends unrecorded files its record now; a recorded one after its recording is sealed. */
    @Override
    public void sessionStateChanged(java.sql.Connection c, org.citizenreception.control.session.ReceptionSession before,
                                    org.citizenreception.control.session.SessionState after) {
        if (after == org.citizenreception.control.session.SessionState.ENDED && !before.recording()) {
            long id = before.id();
            org.citizenreception.control.store.Transactions.afterCommit(() -> filer.execute(() -> file(id)));
        }
    }

    private final java.util.concurrent.ExecutorService filer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "session-record");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionRecordService.class);

    private SessionRecord record(long sessionId, RecordLanguage language) {
        return SessionRecord.of(sessionId, language, sessions, attendance, petitions, audit, rooms, archive.list(sessionId));
    }

    private Generated audited(Principal actor, String remote, long sessionId, String format, RecordLanguage language, byte[] content) {
        String sha256 = RecordingArchive.sha256(content);
        audit.record(actor, remote, "session.record.generate", "session", String.valueOf(sessionId),
                Map.of("format", format, "lang", language.code(), "sha256", sha256, "sizeBytes", content.length));
        return new Generated(content, sha256);
    }
}
