package org.citizenreception.control.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: 200 with version and uptime while the process serves. */
public final class HealthController {
    private final Clock clock;
    private final Instant startedAt;
    private final String version;

    /** Recording's availability (and why not): without ffmpeg the server serves, and says so here. */
    private final java.util.function.Supplier<Map<String, Object>> recording;

    public HealthController(Clock clock, String version) {
        this(clock, version, Map::of);
    }

    public HealthController(Clock clock, String version, java.util.function.Supplier<Map<String, Object>> recording) {
        this.recording = recording;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.version = version;
    }

    public void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("version", version);
        body.put("startedAt", startedAt.toString());
        body.put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds());
        Map<String, Object> recordingHealth = recording.get();
        if (!recordingHealth.isEmpty()) {
            body.put("recording", recordingHealth);
        }
        ctx.json(body);
    }
}
