package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.media.testing.LibwebrtcPeer;

/**
 * What tests of recording share: an online session scheduled with recording on, a libwebrtc
 * publisher going on stage over WHIP, the recording's state, and waiting for a condition.
 */
public final class RecordedSessions {
    private RecordedSessions() {
    }

    /** An online session, recording on, hosted from {@code hostRoom}, inviting {@code rooms}; starts in ten minutes. */
    public static long schedule(TestServer t, String hostRoom, List<String> rooms) {
        Instant start = t.clock.instant().plus(Duration.ofMinutes(10));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân trực tuyến có ghi hình");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", hostRoom);
        body.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        body.put("mode", "ONLINE");
        body.put("recording", true);
        TestServer.Response created = t.json("POST", "/api/v1/sessions", t.adminToken(), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** Publishes {@code publisher} into the session over WHIP with {@code token} and starts its media. */
    public static void publish(TestServer t, long session, LibwebrtcPeer publisher, String token) throws Exception {
        TestServer.Response published = t.send("POST", "/whip/" + session, token, "application/sdp", publisher.createOffer());
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        publisher.setAnswer(published.body());
        publisher.startMedia();
    }

    /** RECORDING, DONE, … as the REC indicator shows it to {@code token}. */
    public static String state(TestServer t, long session, String token) {
        return t.get("/api/v1/sessions/" + session + "/recording", token).json().get("state").asText();
    }

    public static void waitUntil(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
    }
}
