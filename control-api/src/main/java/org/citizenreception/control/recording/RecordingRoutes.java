package org.citizenreception.control.recording;

import io.javalin.config.RoutesConfig;
import org.citizenreception.control.http.RouteModule;

/** The recording and archive routes (documented in openapi/paths-recording.json). */
public final class RecordingRoutes implements RouteModule {
    private final RecordingController recordings;

    public RecordingRoutes(RecordingController recordings) {
        this.recordings = recordings;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/sessions/{id}/recording", recordings::status);
        routes.get("/api/v1/sessions/{id}/recordings", recordings::list);
        routes.get("/api/v1/sessions/{id}/record.pdf", recordings::recordPdf);
        routes.get("/api/v1/sessions/{id}/record.html", recordings::recordHtml);
        routes.get("/api/v1/recordings/due-for-disposal", recordings::dueForDisposal);
        routes.get("/api/v1/recordings/{recording}/content", recordings::content);
        routes.get("/api/v1/recordings/{recording}/download", recordings::download);
        routes.post("/api/v1/recordings/{recording}/playback", recordings::playback);
        routes.get("/api/v1/recordings/{recording}/stream", recordings::stream);
        routes.get("/api/v1/recordings/{recording}/verify", recordings::verify);
        routes.delete("/api/v1/recordings/{recording}", recordings::dispose);
    }
}
