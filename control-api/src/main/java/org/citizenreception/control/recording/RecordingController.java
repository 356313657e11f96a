package org.citizenreception.control.recording;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/**
 * The archive over HTTP: recording state, files per session, playback with HTTP range requests
 * (206), download, hash verification and disposal. Host, secretary and admin only: rooms never see
 * recordings (they may show petitioners).
 */
public final class RecordingController {
    /** An admin's confirmation of a disposal names the file, so a mistyped id deletes nothing. */
    public record DisposalInput(String confirmFileName) {
    }

    private final RecordingService recordings;
    private final SessionService sessions;
    private final SessionRecordService records;

    public RecordingController(RecordingService recordings, SessionService sessions, SessionRecordService records) {
        this.recordings = recordings;
        this.sessions = sessions;
        this.records = records;
    }

    /** The session record (biên bản) as PDF/A-2b in the {@code lang} asked for; its hash is audited and sent as a header. */
    public void recordPdf(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        SessionRecordService.Generated pdf = records.pdf(p, ctx.ip(), id, ctx.queryParam("lang"));
        ctx.header("Content-Disposition", "inline; filename=\"bien-ban-phien-" + id + ".pdf\"")
                .header("X-Content-SHA256", pdf.sha256()).contentType("application/pdf").result(pdf.content());
    }

    /** The session record as an HTML page (the in-app view), in the {@code lang} asked for. */
    public void recordHtml(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        SessionRecordService.Generated html = records.html(p, ctx.ip(), id, ctx.queryParam("lang"));
        ctx.header("X-Content-SHA256", html.sha256()).contentType("text/html; charset=utf-8").result(html.content());
    }

    /** The REC indicator: state, elapsed seconds and bytes written, or OFF / UNAVAILABLE with the reason. */
    public void status(Context ctx) {
        long id = SessionController.id(ctx);
        boolean flag = sessions.get(id).recording();
        ctx.json(recordings.status(id).map(s -> (Object) s).orElseGet(() -> {
            Map<String, Object> off = new LinkedHashMap<>();
            off.put("sessionId", id);
            off.put("state", !flag ? "OFF" : recordings.unavailableReason().isPresent() ? "UNAVAILABLE" : "PENDING");
            off.put("reason", flag ? recordings.unavailableReason().orElse(null) : null);
            return off;
        }));
    }

    public void list(Context ctx) {
        long id = SessionController.id(ctx);
        sessions.get(id);
        ctx.json(Map.of("sessionId", id, "recordings", recordings.archive().list(id)));
    }

    /** Inline playback; a Range header gets 206 with that part (browsers seek this way). */
    public void content(Context ctx) {
        Recording r = recording(ctx, Authentication.caller(ctx));
        stream(ctx, r, false);
    }

    /**
     * A short-lived link to the recording for a {@code <video src>} or a download, which cannot send
     * the bearer token (and a token never goes into a URL): same access as the content itself.
     */
    public void playback(Context ctx) {
        Principal p = Authentication.caller(ctx);
        Recording r = recording(ctx, p);
        recordings.archive().recordPlaybackIssued(p, ctx.ip(), r.id());
        ctx.json(recordings.playbackLinks().issue(r.id()));
    }

    /**
     * The file through a playback link: no bearer token, the link's signature is the access (the
     * routes table marks the route public so an anonymous {@code <video>} request reaches this
     * check). Ranges as for {@link #content}.
     */
    public void stream(Context ctx) {
        long id = Fields.id("recording", ctx.pathParam("recording"));
        recordings.playbackLinks().check(id, ctx.queryParam("exp"), ctx.queryParam("sig"));
        stream(ctx, recordings.archive().get(id), "1".equals(ctx.queryParam("download")));
    }

    public void download(Context ctx) {
        Recording r = recording(ctx, Authentication.caller(ctx));
        stream(ctx, r, true);
    }

    public void verify(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(recordings.archive().verify(p, ctx.ip(), recording(ctx, p).id()));
    }

    public void dueForDisposal(Context ctx) {
        List<Recording> due = recordings.archive().dueForDisposal();
        ctx.json(Map.of("recordings", due));
    }

    public void dispose(Context ctx) {
        Principal p = Authentication.caller(ctx);
        Recording r = recording(ctx, p);
        DisposalInput in = JsonBody.read(ctx, DisposalInput.class);
        if (in.confirmFileName() == null || !in.confirmFileName().equals(r.fileName())) {
            throw DomainErrors.invalid("confirmFileName", "must repeat the file name of recording " + r.id() + " to confirm its disposal");
        }
        ctx.json(recordings.archive().dispose(p, ctx.ip(), r.id()));
    }

    /**
     * The recording in the path, if the caller works on its session (its host, its assigned
     * secretaries, staff of the hosting unit's area, administrators): the path names a recording, not
     * a session, so the routes table's scope cannot check the object before this does.
     */
    private Recording recording(Context ctx, Principal p) {
        Recording r = recordings.archive().get(Fields.id("recording", ctx.pathParam("recording")));
        if (!sessions.access().mayWorkOn(p, sessions.get(r.sessionId()))) {
            throw DomainErrors.forbidden("recording " + r.id() + " belongs to a session you do not work on");
        }
        return r;
    }

    private void stream(Context ctx, Recording r, boolean attachment) {
        Path file = recordings.archive().file(r);
        if (r.disposedAt() != null || !Files.isRegularFile(file)) {
            throw DomainErrors.notFound("the file of recording " + r.id());
        }
        ctx.header("Content-Disposition", (attachment ? "attachment" : "inline") + "; filename=\"" + r.fileName() + "\"");
        ctx.header("Accept-Ranges", "bytes");
        try {
            InputStream in = Files.newInputStream(file);
            ctx.writeSeekableStream(in, r.mediaType(), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
