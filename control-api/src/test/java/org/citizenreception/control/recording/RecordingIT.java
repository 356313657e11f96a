package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's first "done when", with real peers over WHIP: a host (libwebrtc, 640x360 VP8 + Opus)
 * goes live in a session scheduled with recording on; room A and then room B get the floor and
 * publish into the guest slot; the host takes the floor back; the session ends after 20 s. The
 * program file then plays: ffprobe finds one video and one audio stream, 20 s ± 1 s, as many frames
 * (within 5 %) as the host's encoder sent over the same span, and the chapters name the rooms. The
 * archive lists it with its hash; verify passes, a one-byte change makes it fail; a Range request
 * gets 206 with exactly that range.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingIT {
    private static final String HOST_ROOM = "QN-VP";
    private static final String ROOM_A = "QN25-BAI-CHAY";
    private static final String ROOM_B = "QN25-MONG-CAI-1";
    private static final long SEGMENT_MILLIS = 5_000;

    @TempDir
    static Path dir;
    private TestServer t;
    private PeerConnectionFactory factory;
    private String host;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() {
        t = TestServer.start(dir);
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        t.createUser("host.recording", Role.HOST, null);
        host = t.token("host.recording", TestServer.passwordOf("host.recording"));
    }

    @AfterAll
    void stop() {
        peers.forEach(LibwebrtcPeer::close);
        if (factory != null) {
            factory.dispose();
        }
        if (t != null) {
            t.close();
        }
    }

    /** (wall millis, frames the host's encoder has sent) sampled through the session. */
    private record FramesSent(long atMillis, long frames) {
    }

    @Test
    void aRecordedSessionWithFloorChangesBecomesAPlayableProgramWithChaptersAndASealedHash() throws Exception {
        long session = scheduleRecordedSession();
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-rec"));
        publish(session, publisher, host);
        waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()), 20,
                "the host's media makes the session live");
        waitUntil(() -> "RECORDING".equals(recordingState(session)), 90, "the recording starts on LIVE");

        String roomAToken = t.joinToken(session, ROOM_A);
        List<FramesSent> samples = new CopyOnWriteArrayList<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    samples.add(new FramesSent(System.currentTimeMillis(), publisher.outbound("video").getOrDefault("framesSent", 0L)));
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a stats call that timed out under load: the next sample covers it
                }
            }
        }, "frames-sent-sampler");
        sampler.start();
        try {
            Thread.sleep(SEGMENT_MILLIS);
            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOM_A)).status()).isEqualTo(200);
            publish(session, track(LibwebrtcPeer.publisher(factory, "room-a")), roomAToken);
            Thread.sleep(SEGMENT_MILLIS);
            holdTheFloorForAMinute(session, ROOM_A);
            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOM_B)).status()).isEqualTo(200);
            publish(session, track(LibwebrtcPeer.publisher(factory, "room-b")), t.joinToken(session, ROOM_B));
            Thread.sleep(SEGMENT_MILLIS);
            holdTheFloorForAMinute(session, ROOM_B);
            assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/floor", host, null, (String) null).status()).isEqualTo(200);
            Thread.sleep(SEGMENT_MILLIS);
            assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "ENDED")).status()).isEqualTo(200);
        } finally {
            Thread.sleep(300);
            sampler.interrupt();
            sampler.join();
        }
        waitUntil(() -> "DONE".equals(recordingState(session)), 180, "the program is composed and sealed");

        JsonNode archive = t.get("/api/v1/sessions/" + session + "/recordings", host).json().get("recordings");
        JsonNode program = null;
        JsonNode chapters = null;
        JsonNode sessionRecord = null;
        int slotParts = 0;
        for (JsonNode r : archive) {
            switch (r.get("kind").asText()) {
                case "PROGRAM" -> program = r;
                case "CHAPTERS" -> chapters = r;
                case "RECORD" -> sessionRecord = r;
                default -> slotParts++;
            }
            assertThat(r.get("sha256").asText()).matches("[0-9a-f]{64}");
        }
        assertThat(program).as("program in the archive: %s", archive).isNotNull();
        assertThat(chapters).isNotNull();
        assertThat(slotParts).as("the raw main and guest recordings are kept").isGreaterThanOrEqualTo(2);
        assertThat(sessionRecord).as("the session record is filed with the recording: %s", archive).isNotNull();

        Path sessionDir = dir.resolve("data").resolve("recordings").resolve("session-" + session);
        Path programFile = sessionDir.resolve(program.get("fileName").asText());
        try (org.apache.pdfbox.pdmodel.PDDocument record = org.apache.pdfbox.Loader.loadPDF(
                sessionDir.resolve(sessionRecord.get("fileName").asText()).toFile())) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(record);
            assertThat(text).as("the record names the program's hash").contains(program.get("sha256").asText());
            // the rooms took part only by publishing into the guest slot while they held the floor
            for (String room : List.of(ROOM_A, ROOM_B)) {
                assertThat(attendanceLine(session, room).get("presence").asText()).as("attendance of %s", room).isEqualTo("PRESENT");
                assertThat(text).as("the record's line of %s", room).containsPattern("\\[" + room + "\\]\\s*\\|\\s*Có mặt");
            }
            assertThat(text).contains("có mặt: 2, vắng mặt: 0");
        }
        Probe probe = Probe.of(programFile);
        System.out.printf("program: %s%n", probe);
        assertThat(probe.videoStreams()).isEqualTo(1);
        assertThat(probe.audioStreams()).isEqualTo(1);
        assertThat(probe.durationSeconds()).as("program duration").isBetween(19.0, 21.0);

        long programStart = Timeline.read(sessionDir).stream().filter(e -> e.kind().equals("part") && e.value(0).startsWith("main-"))
                .mapToLong(Timeline.Entry::millis).min().orElseThrow();
        long programEnd = programStart + Math.round(probe.durationSeconds() * 1000);
        double sent = framesAt(samples, programEnd) - framesAt(samples, programStart);
        System.out.printf("frames: %d decoded from the program, %.0f sent by the host's encoder over the same %.1f s%n",
                probe.videoFrames(), sent, probe.durationSeconds());
        assertThat((double) probe.videoFrames()).as("decoded frames against %.0f sent", sent).isBetween(0.95 * sent, 1.05 * sent);

        String vtt = Files.readString(sessionDir.resolve(chapters.get("fileName").asText()), StandardCharsets.UTF_8);
        System.out.println(vtt);
        String nameA = roomName(ROOM_A);
        String nameB = roomName(ROOM_B);
        String hostName = roomName(HOST_ROOM);
        assertThat(vtt).startsWith("WEBVTT");
        assertThat(vtt.indexOf(nameA)).as("chapter for room A").isPositive();
        assertThat(vtt.indexOf(nameB)).as("room B after room A").isGreaterThan(vtt.indexOf(nameA));
        assertThat(vtt.lastIndexOf(hostName)).as("back to the host after room B").isGreaterThan(vtt.indexOf(nameB));
        assertThat(probe.chapterTitles()).as("chapters inside the program file").contains(nameA, nameB);

        // Range: the browser's seek asks for a byte range and gets exactly it.
        long id = program.get("id").asLong();
        TestServer.Response range = t.send("GET", "/api/v1/recordings/" + id + "/content", host, null, (byte[]) null,
                Map.of("Range", "bytes=100-199"));
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValueSatisfying(v -> assertThat(v).startsWith("bytes 100-199/"));
        assertThat(t.get("/api/v1/recordings/" + id + "/content", roomAToken).status()).as("rooms never get recordings").isEqualTo(403);

        // Sealed hash: verify passes, then one byte changed makes it fail.
        JsonNode verified = t.get("/api/v1/recordings/" + id + "/verify", host).json();
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(t.get("/api/v1/audit?entityType=recording&entityId=" + id, t.adminToken()).body()).contains(program.get("sha256").asText());
        try (RandomAccessFile file = new RandomAccessFile(programFile.toFile(), "rw")) {
            long at = file.length() / 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
        JsonNode tampered = t.get("/api/v1/recordings/" + id + "/verify", host).json();
        assertThat(tampered.get("valid").asBoolean()).as(tampered.toString()).isFalse();
        assertThat(tampered.get("actualSha256").asText()).isNotEqualTo(tampered.get("sealedSha256").asText());
    }

    /** Frames sent at {@code atMillis}, interpolated between the samples around it. */
    private static double framesAt(List<FramesSent> samples, long atMillis) {
        FramesSent before = samples.get(0);
        for (FramesSent s : samples) {
            if (s.atMillis() >= atMillis) {
                if (s.atMillis() == before.atMillis()) {
                    return s.frames();
                }
                return before.frames() + (double) (s.frames() - before.frames()) * (atMillis - before.atMillis())
                        / (s.atMillis() - before.atMillis());
            }
            before = s;
        }
        return before.frames();
    }

    /**
     * The test's clock stands still unless moved, and attendance counts a room present by the time
     * it was connected while live: a room on the floor for no time at all would read absent. Once the
     * room's guest endpoint is connected, a minute passes on the server's clock.
     */
    private void holdTheFloorForAMinute(long session, String room) throws InterruptedException {
        waitUntil(() -> attendanceLine(session, room).get("connectedNow").asBoolean(), 20, room + "'s guest endpoint is connected");
        t.clock.advance(java.time.Duration.ofMinutes(1));
    }

    private JsonNode attendanceLine(long session, String room) {
        for (JsonNode line : t.get("/api/v1/sessions/" + session + "/attendance", host).json().get("rooms")) {
            if (line.get("roomCode").asText().equals(room)) {
                return line;
            }
        }
        throw new AssertionError("no attendance line for " + room);
    }

    private void publish(long session, LibwebrtcPeer publisher, String token) throws Exception {
        RecordedSessions.publish(t, session, publisher, token);
    }

    private long scheduleRecordedSession() {
        return RecordedSessions.schedule(t, HOST_ROOM, List.of(ROOM_A, ROOM_B));
    }

    private String recordingState(long session) {
        return RecordedSessions.state(t, session, host);
    }

    private String roomName(String code) {
        return t.get("/api/v1/rooms/" + code, t.adminToken()).json().get("name").asText();
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }

    static void waitUntil(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        RecordedSessions.waitUntil(condition, seconds, what);
    }

    /** ffprobe's view of a media file: streams, duration, decoded video frames, chapter titles. */
    record Probe(int videoStreams, int audioStreams, double durationSeconds, long videoFrames, List<String> chapterTitles) {
        static Probe of(Path file) throws IOException, InterruptedException {
            String out = run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                    "stream=codec_type,nb_read_frames:format=duration:chapter_tags=title", "-of", "default=noprint_wrappers=1",
                    file.toString());
            int video = 0;
            int audio = 0;
            double duration = 0;
            long frames = 0;
            List<String> titles = new ArrayList<>();
            String lastType = "";
            for (String line : out.split("\n")) {
                if (line.startsWith("codec_type=")) {
                    lastType = line.substring("codec_type=".length());
                    video += lastType.equals("video") ? 1 : 0;
                    audio += lastType.equals("audio") ? 1 : 0;
                } else if (line.startsWith("nb_read_frames=") && lastType.equals("video")) {
                    frames = Long.parseLong(line.substring("nb_read_frames=".length()).trim());
                } else if (line.startsWith("duration=")) {
                    duration = Double.parseDouble(line.substring("duration=".length()).trim());
                } else if (line.startsWith("TAG:title=")) {
                    titles.add(line.substring("TAG:title=".length()));
                }
            }
            return new Probe(video, audio, duration, frames, titles);
        }

        static String run(String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        }
    }
}
