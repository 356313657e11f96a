package org.citizenreception.control.recording;

import static org.citizenreception.control.testing.RoleMatrix.Caller.ADMIN;
import static org.citizenreception.control.testing.RoleMatrix.Caller.HOST;
import static org.citizenreception.control.testing.RoleMatrix.Caller.SECRETARY;
import static org.citizenreception.control.testing.RoleMatrix.everyone;
import static org.citizenreception.control.testing.RoleMatrix.only;
import static org.citizenreception.control.testing.RoleMatrix.row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.RoleMatrix.Row;

/**
 * The role matrix rows of recording and the archive: staff (admin, host, secretary) read and play,
 * only an admin disposes; rooms never. The target is a small file sealed into the archive of a
 * session of the fixture; a disposal gets a fresh one, made due by back-dating its seal.
 */
public final class RecordingRoleRows {
    private static final Map<Fixture, long[]> shared = new IdentityHashMap<>();

    private RecordingRoleRows() {
    }

    public static List<Row> rows() {
        return List.of(
                row("GET /api/v1/sessions/{id}/recording", x -> "/api/v1/sessions/" + session(x) + "/recording", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/sessions/{id}/recordings", x -> "/api/v1/sessions/" + session(x) + "/recordings", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/sessions/{id}/record.pdf", x -> "/api/v1/sessions/" + session(x) + "/record.pdf", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/sessions/{id}/record.html", x -> "/api/v1/sessions/" + session(x) + "/record.html", only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/recordings/{recording}/content", x -> "/api/v1/recordings/" + recording(x) + "/content",
                        only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/recordings/{recording}/download", x -> "/api/v1/recordings/" + recording(x) + "/download",
                        only(ADMIN, HOST, SECRETARY)),
                row("POST /api/v1/recordings/{recording}/playback", x -> "/api/v1/recordings/" + recording(x) + "/playback",
                        only(ADMIN, HOST, SECRETARY)),
                // The signed link is the access: whoever holds it plays that one file (PlaybackLinksTest: the refusals).
                row("GET /api/v1/recordings/{recording}/stream", x -> x.server.server.recording().playbackLinks().issue(recording(x)).url(),
                        everyone()),
                row("GET /api/v1/recordings/{recording}/verify", x -> "/api/v1/recordings/" + recording(x) + "/verify",
                        only(ADMIN, HOST, SECRETARY)),
                row("GET /api/v1/recordings/due-for-disposal", x -> "/api/v1/recordings/due-for-disposal", only(ADMIN)),
                row("DELETE /api/v1/recordings/{recording}", x -> "/api/v1/recordings/" + dueRecording(x),
                        x -> "{\"confirmFileName\":\"" + nextDueName(x) + "\"}", only(ADMIN)));
    }

    private static synchronized long session(Fixture x) {
        return shared.computeIfAbsent(x, f -> new long[] {f.server.scheduleOnlineSession("Phiên có ghi hình (ma trận quyền)", "QN-VP",
                List.of(f.roomA)), 0, 0})[0];
    }

    private static synchronized long recording(Fixture x) {
        session(x);
        long[] ids = shared.get(x);
        if (ids[1] == 0) {
            ids[1] = seal(x, "matrix.vtt").id();
        }
        return ids[1];
    }

    /**
     * A fresh sealed file per call, its seal back-dated past any retention so it is due; named by
     * the body, which the matrix builds before the path.
     */
    private static synchronized long dueRecording(Fixture x) {
        Recording r = seal(x, "due-" + shared.get(x)[2] + ".vtt");
        try (var c = x.server.server.database().unpooledConnection();
             var ps = c.prepareStatement("UPDATE recordings SET sealed_at = ? WHERE id = ?")) {
            ps.setString(1, "2000-01-01T00:00:00Z");
            ps.setLong(2, r.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return r.id();
    }

    private static synchronized String nextDueName(Fixture x) {
        session(x);
        return "due-" + ++shared.get(x)[2] + ".vtt";
    }

    private static Recording seal(Fixture x, String name) {
        long session = session(x);
        RecordingArchive archive = x.server.server.recording().archive();
        Path dir = archive.sessionDir(session);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nPhòng họp\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant now = x.server.clock.instant();
        return archive.seal(session, "CHAPTERS", dir.resolve(name), "text/vtt", now, now.plusSeconds(1), false);
    }
}
