package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's disk safety, on a real filesystem that fills: the recordings go to a 64 MB tmpfs
 * mounted for the test (the tests run as root) with {@code recording.min-free-mb=16}. While a
 * session is recorded from a real libwebrtc publisher, a file fills the disk to under the floor.
 * The recording stops with the reason (state STOPPED, shown to the consoles), the stop is audited
 * and /health names it; the session stays live and a room still receives the host's video over
 * WHEP; the parts written so far are sealed and play (ffprobe decodes video from them); ending the
 * session files its record and leaves the recording STOPPED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingDiskFullIT {
    private static final String HOST_ROOM = "QN-VP";
    private static final String ROOM = "QN25-BAI-CHAY";
    private static final long MIN_FREE_MB = 16;
    private static final long MB = 1024 * 1024;

    @TempDir
    static Path dir;
    private Path disk;
    private boolean mounted;
    private TestServer t;
    private PeerConnectionFactory factory;
    private String host;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        disk = Files.createDirectories(dir.resolve("recordings-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", disk.toString());
        mounted = true;
        t = TestServer.start(dir, "--recording.directory=" + disk, "--recording.min-free-mb=" + MIN_FREE_MB);
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        t.createUser("host.diskfull", Role.HOST, null);
        host = t.token("host.diskfull", TestServer.passwordOf("host.diskfull"));
    }

    @AfterAll
    void stop() throws Exception {
        peers.forEach(LibwebrtcPeer::close);
        if (factory != null) {
            factory.dispose();
        }
        if (t != null) {
            t.close();
        }
        if (mounted) {
            run("umount", "--lazy", disk.toString()); // lazy: a muxer killed with the server may still hold a file
        }
    }

    @Test
    void aDiskFillingUpStopsTheRecordingCleanlyWhileTheSessionGoesOn() throws Exception {
        long session = RecordedSessions.schedule(t, HOST_ROOM, List.of(ROOM));
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-diskfull"));
        RecordedSessions.publish(t, session, publisher, host);
        RecordedSessions.waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()), 20,
                "the host's media makes the session live");
        // More than the Matroska header: a few of ffmpeg's one-second clusters, so the part holds decodable video
        // (on loaded cores the first bytes on disk can be the header alone).
        RecordedSessions.waitUntil(() -> recording(session).path("bytes").asLong() > 200_000, 90, "the recording writes media");

        Path filler = disk.resolve("filler.bin");
        fillLeaving(filler, 4 * MB);
        JsonNode stopped = awaitState(session, "STOPPED", 20);
        assertThat(stopped.get("reason").asText()).contains("disk full", "recording.min-free-mb");

        // the live session goes on: still LIVE, and a room joining now receives the host's video
        assertThat(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()).isEqualTo("LIVE");
        LibwebrtcPeer viewer = track(LibwebrtcPeer.viewer(factory, "room-diskfull", 1));
        TestServer.Response played = t.send("POST", "/whep/" + session, t.joinToken(session, ROOM), "application/sdp", viewer.createOffer());
        assertThat(played.status()).as(played.body()).isEqualTo(201);
        viewer.setAnswer(played.body());
        RecordedSessions.waitUntil(() -> viewer.framesDecoded() > 30, 60, "a room receives the host's video after the stop");

        String audit = t.get("/api/v1/audit?entityType=session&entityId=" + session, t.adminToken()).body();
        assertThat(audit).contains("recording.stop", "DISK_FULL");
        JsonNode health = t.get("/health", null).json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        JsonNode rec = health.get("recording");
        assertThat(rec.get("belowMinFree").asBoolean()).isTrue();
        assertThat(rec.get("active").asInt()).isZero();
        assertThat(rec.get("stoppedForDiskFull").toString()).contains("\"sessionId\":" + session, "disk full");

        // what was written before the stop is sealed and plays
        RecordedSessions.waitUntil(() -> slots(session).size() >= 1, 30, "the parts written are sealed");
        JsonNode part = slots(session).stream().filter(r -> r.get("fileName").asText().startsWith("main-")).findFirst().orElseThrow();
        assertThat(part.get("sha256").asText()).matches("[0-9a-f]{64}");
        String probe = RecordingIT.Probe.run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,nb_read_frames", "-of", "default=noprint_wrappers=1",
                disk.resolve("session-" + session).resolve(part.get("fileName").asText()).toString());
        assertThat(probe).contains("codec_name=vp8");
        long frames = Long.parseLong(probe.lines().filter(l -> l.startsWith("nb_read_frames=")).findFirst().orElseThrow()
                .substring("nb_read_frames=".length()).trim());
        assertThat(frames).as("video frames decoded from the part written before the disk filled").isPositive();

        // space back, the session ends: its record is filed and the recording stays STOPPED with its reason
        Files.delete(filler);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "ENDED")).status()).isEqualTo(200);
        RecordedSessions.waitUntil(() -> t.get("/api/v1/sessions/" + session + "/recordings", host).body().contains("\"RECORD\""), 30,
                "the session record is filed when the session ends");
        JsonNode after = recording(session);
        assertThat(after.get("state").asText()).isEqualTo("STOPPED");
        assertThat(after.get("reason").asText()).contains("disk full");
        assertThat(t.get("/health", null).json().get("status").asText()).isEqualTo("UP");
    }

    private JsonNode recording(long session) {
        return t.get("/api/v1/sessions/" + session + "/recording", host).json();
    }

    private JsonNode awaitState(long session, String state, int seconds) throws InterruptedException {
        RecordedSessions.waitUntil(() -> state.equals(recording(session).get("state").asText()), seconds, "the recording is " + state);
        return recording(session);
    }

    private List<JsonNode> slots(long session) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : t.get("/api/v1/sessions/" + session + "/recordings", host).json().get("recordings")) {
            if (r.get("kind").asText().equals("SLOT")) {
                out.add(r);
            }
        }
        return out;
    }

    /** Writes real bytes (a sparse file would take no room on tmpfs) until about {@code leave} bytes are free. */
    private void fillLeaving(Path file, long leave) throws IOException {
        long toWrite = Files.getFileStore(disk).getUsableSpace() - leave;
        ByteBuffer chunk = ByteBuffer.allocate((int) MB);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < toWrite; written += MB) {
                chunk.clear();
                chunk.limit((int) Math.min(MB, toWrite - written));
                out.write(chunk);
            }
        }
        assertThat(Files.getFileStore(disk).getUsableSpace()).as("free bytes after the fill").isLessThan(MIN_FREE_MB * MB);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }
}
