package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server without a working ffmpeg still starts and says why recording is unavailable (in
 * /health and in the session's recording state); with less free disk than recording.min-free-mb a
 * recording refuses to start, with the reason, while the session goes live as usual.
 */
class RecordingAvailabilityTest {
    @TempDir
    Path dir;

    @Test
    void withoutFfmpegTheServerStartsAndHealthAndTheSessionSayRecordingIsUnavailable() throws Exception {
        try (TestServer t = TestServer.start(dir, "--recording.ffmpeg=" + dir.resolve("no-such-ffmpeg"))) {
            JsonNode health = t.get("/health", null).json();
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("recording").get("available").asBoolean()).isFalse();
            assertThat(health.get("recording").get("reason").asText()).contains("ffmpeg");
            long session = liveRecordedSession(t);
            String host = t.token("host.avail", TestServer.passwordOf("host.avail"));
            JsonNode state = awaitState(t, host, session, "UNAVAILABLE");
            assertThat(state.get("reason").asText()).contains("ffmpeg");
            assertThat(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()).isEqualTo("LIVE");
        }
    }

    @Test
    void belowTheFreeDiskFloorARecordingRefusesToStartAndSaysWhy() throws Exception {
        try (TestServer t = TestServer.start(dir, "--recording.min-free-mb=" + Long.MAX_VALUE / (1024 * 1024))) {
            assertThat(t.get("/health", null).json().get("recording").get("available").asBoolean()).isTrue();
            long session = liveRecordedSession(t);
            String host = t.token("host.avail", TestServer.passwordOf("host.avail"));
            JsonNode state = awaitState(t, host, session, "REFUSED");
            assertThat(state.get("reason").asText()).contains("recording.min-free-mb");
        }
    }

    private static long liveRecordedSession(TestServer t) {
        t.createUser("host.avail", Role.HOST, null);
        String host = t.token("host.avail", TestServer.passwordOf("host.avail"));
        Instant start = t.clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Phiên có ghi hình");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch");
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "LIST", "rooms", List.of("QN25-BAI-CHAY")));
        body.put("recording", true);
        TestServer.Response created = t.json("POST", "/api/v1/sessions", host, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long session = created.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        return session;
    }

    private static JsonNode awaitState(TestServer t, String token, long session, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = t.get("/api/v1/sessions/" + session + "/recording", token).json();
            if (expected.equals(last.get("state").asText())) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("recording state never became " + expected + "; last " + last);
    }
}
