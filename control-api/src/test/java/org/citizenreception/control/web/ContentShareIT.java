package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.until;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 17, the content slot in Chromium through the real server, bridge and recorder: the host
 * shares a screen and three room screens show it beside the speaker, then instead of the speaker as
 * the host chooses; the room given the floor shares in its turn (replacing the host's share) and every
 * screen shows it; taking the floor back ends the room's share; no room screen renegotiates on the
 * way; the recording keeps the shared screen as a file of its own and the program shows it, a chapter
 * at each share.
 *
 * <p>Fake capture: with {@code --use-fake-ui-for-media-stream --use-fake-device-for-media-stream}
 * (already the flags of every browser test) headless Chromium 156 answers getDisplayMedia with a
 * fake 800x450 "screen:-3:0" and an audio track, without a picker and without a user gesture; no
 * {@code --auto-select-desktop-capture-source} is needed. Two browsers only: the host, and one with
 * a tab per room (each page costs ~175 MB; the rooms decode, only two pages encode).
 */
class ContentShareIT {
    private static final String PROGRAM_CLIENT = "document.getElementById('program').mediaClient";

    @TempDir
    static Path dir;
    static WebServer server;
    static ReceptionApi api;
    static Browser host;
    static Browser rooms;
    static String hostToken;
    static long id;
    static List<String> invited;
    static final List<String> tabs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        api = new ReceptionApi(server);
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        hostToken = api.call("POST", "/api/v1/auth/login", null, Map.of("username", "chutri", "password", ReceptionApi.password("chutri")))
                .get("token").asText();
        invited = api.communes(3);
        id = api.scheduleNow("Phiên thử trình chiếu tài liệu", invited);
        long version = api.call("GET", "/api/v1/sessions/" + id, api.adminToken, null).get("version").asLong();
        api.call("PATCH", "/api/v1/sessions/" + id, api.adminToken, Map.of("recording", true, "version", version));
        Path camera = LiveMedia.smallCameraPicture(dir.resolve("camera.y4m"));
        host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10, camera);
        rooms = new Browser(server.baseUrl(), dir.resolve("room-profile"), 10, camera);
    }

    @AfterAll
    static void stop() {
        for (Browser b : new Browser[]{rooms, host}) {
            if (b != null) {
                b.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void the_host_and_then_the_room_on_the_floor_share_every_room_sees_it_and_the_recording_keeps_it() throws Exception {
        host.signIn("chutri", ReceptionApi.password("chutri"));
        host.open("/host/" + id);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host's media flows");
        for (int i = 0; i < invited.size(); i++) {
            if (i > 0) {
                rooms.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            }
            rooms.driver.get(api.joinLink(id, invited.get(i)));
            tabs.add(rooms.driver.getWindowHandle());
            until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "room " + invited.get(i) + " shows the program");
            // The peer connection negotiated at join: the same one must carry every share after.
            rooms.js("window.__joinedWith = " + PROGRAM_CLIENT + ".pc;");
        }

        // The host shares a screen: every room screen shows it beside the speaker (the default layout).
        long hostClicked = System.nanoTime();
        host.find("#share-screen").click();
        until(host, () -> "HOST".equals(host.find("#content-state").getAttribute("data-shared-by")), "the host's share is on stage");
        eachRoom("shows the host's share beside the speaker", () -> {
            until(rooms, () -> !rooms.findAll("#program[data-layout='CONTENT_BESIDE_SPEAKER']").isEmpty(), "the content beside the speaker");
            awaitDecoding(rooms, "#content-video", LiveMedia.PATIENCE);
            assertShownAt800x450();
            assertThat(rooms.find("#content-caption").getText()).isEqualTo("Tài liệu do chủ trì trình chiếu");
        });
        System.out.printf("ContentShareIT: the host's share decoded at 800x450 on all %d room screens %d ms after the click%n",
                tabs.size(), (System.nanoTime() - hostClicked) / 1_000_000);
        rooms.screenshotForDocs("room-content-beside-vi");

        // The host shows the content instead of the speaker.
        new Select(host.find("#stage-layout")).selectByValue("CONTENT_INSTEAD_OF_SPEAKER");
        eachRoom("lays the content out instead of the speaker", () ->
                until(rooms, () -> !rooms.findAll("#program[data-layout='CONTENT_INSTEAD_OF_SPEAKER']").isEmpty(), "content instead of the speaker"));
        host.screenshotForDocs("host-content-vi");

        // The room given the floor shares in its turn: it replaces the host's share on every screen.
        String speaking = invited.get(0);
        api.call("POST", "/api/v1/sessions/" + id + "/floor", hostToken, Map.of("roomCode", speaking));
        rooms.driver.switchTo().window(tabs.get(0));
        until(rooms, () -> rooms.find("#share-screen").isDisplayed(), "the room on the floor is offered to share");
        long roomClicked = System.nanoTime();
        rooms.find("#share-screen").click();
        until(host, () -> "ROOM".equals(host.find("#content-state").getAttribute("data-shared-by")), "the room's share is on stage");
        until(host, () -> "false".equals(host.find("#share-screen").getAttribute("aria-pressed")), "the host's own share has stopped");
        JsonNode stage = api.call("GET", "/api/v1/sessions/" + id + "/stage", hostToken, null);
        assertThat(stage.get("content").get("roomCode").asText()).isEqualTo(speaking);
        String roomName = api.roomName(speaking);
        // Same track, same SSRC on every screen: the bridge tells which share each one is forwarded.
        until(host, ContentShareIT::everyViewerForwardsTheShareOnStage, "every viewer is forwarded the room's share");
        eachRoom("shows the room's share", () -> {
            until(rooms, () -> rooms.find("#content-caption").getText().equals("Tài liệu do " + roomName + " trình chiếu"), "the room's share is named");
            awaitDecoding(rooms, "#content-video", LiveMedia.PATIENCE);
            assertShownAt800x450();
        });
        System.out.printf("ContentShareIT: the floor room's share replaced the host's on all %d room screens %d ms after the click%n",
                tabs.size(), (System.nanoTime() - roomClicked) / 1_000_000);

        // The host takes the floor back: the room's share ends with it, every screen shows the speaker alone.
        api.call("DELETE", "/api/v1/sessions/" + id + "/floor", hostToken, null);
        eachRoom("shows the speaker alone again", () -> {
            until(rooms, () -> !rooms.findAll("#program[data-layout='SPEAKER_ONLY']").isEmpty(), "the speaker alone");
            assertThat(rooms.find("#content-box").isDisplayed()).isFalse();
        });
        rooms.driver.switchTo().window(tabs.get(0));
        until(rooms, () -> "false".equals(rooms.find("#share-screen").getAttribute("aria-pressed")), "the room's screen stopped sending");
        assertThat(api.call("GET", "/api/v1/sessions/" + id + "/stage", hostToken, null).get("content").isNull()).isTrue();
        eachRoom("never renegotiated", () -> assertThat(rooms.js("return " + PROGRAM_CLIENT + ".pc === window.__joinedWith;"))
                .as("the room screen's peer connection is the one of its join").isEqualTo(true));

        // The recording keeps the shared screens as the content slot's own file.
        api.call("POST", "/api/v1/sessions/" + id + "/state", hostToken, Map.of("state", "ENDED"));
        waitForRecording("DONE");
        Path content = null;
        Path chapters = null;
        Path sessionDir = dir.resolve("data").resolve("recordings").resolve("session-" + id);
        for (JsonNode r : api.call("GET", "/api/v1/sessions/" + id + "/recordings", hostToken, null).get("recordings")) {
            if (r.get("fileName").asText().startsWith("content-")) {
                content = sessionDir.resolve(r.get("fileName").asText());
            } else if ("CHAPTERS".equals(r.get("kind").asText())) {
                chapters = sessionDir.resolve(r.get("fileName").asText());
            }
        }
        assertThat(content).as("the archive lists the content slot's recording").isNotNull();
        assertThat(ffprobeVideo(content)).as("ffprobe of %s", content).startsWith("video,800,450");
        // The program shows each share while rooms were shown it, a chapter at each.
        assertThat(chapters).as("the program's chapters are archived").isNotNull();
        assertThat(Files.readString(chapters)).contains("Trình chiếu tài liệu: " + roomName);
        assertThat(Files.readString(chapters).split("Trình chiếu tài liệu: ", -1)).as("a chapter per share, the host's and the room's").hasSize(3);
    }

    /** Each viewer's content subscription forwards the source now filling the bridge's content slot. */
    private static boolean everyViewerForwardsTheShareOnStage() {
        var conference = server.server.mediaBridge().conference(org.citizenreception.control.media.SessionMedia.conferenceId(id)).orElseThrow();
        var slot = conference.stage().slot(org.citizenreception.media.conference.SlotName.CONTENT, org.citizenreception.media.sdp.MediaKind.VIDEO);
        var source = slot.source();
        if (source == null) {
            return false;
        }
        long ssrc = Integer.toUnsignedLong(source.ssrc());
        var contentSubscriptions = conference.endpoints().stream().flatMap(e -> e.subscriptions().stream())
                .filter(s -> s.slot() == slot).toList();
        return contentSubscriptions.size() >= tabs.size() && contentSubscriptions.stream().allMatch(s -> s.forwardedSourceSsrc() == ssrc);
    }

    private static void eachRoom(String what, ThrowingRunnable check) throws Exception {
        for (int i = 0; i < tabs.size(); i++) {
            rooms.driver.switchTo().window(tabs.get(i));
            try {
                check.run();
            } catch (AssertionError e) {
                throw new AssertionError("room " + invited.get(i) + " " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /** The content video element plays the fake screen's own size (the bridge forwards it untouched). */
    private static void assertShownAt800x450() {
        until(rooms, () -> Long.valueOf(800).equals(rooms.js("return document.getElementById('content-video').videoWidth;")),
                "the shared screen reaches its full 800 px width");
        assertThat(rooms.js("return document.getElementById('content-video').videoHeight;")).isEqualTo(450L);
    }

    private static void waitForRecording(String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = api.call("GET", "/api/v1/sessions/" + id + "/recording", hostToken, null).get("state").asText();
            if (state.equals(seen)) {
                return;
            }
            LiveMedia.pause(500);
        }
        throw new AssertionError("the recording is " + seen + ", not " + state);
    }

    /** {@code codec_type,width,height} of the file's video streams, one per line (ffprobe from Debian's ffmpeg). */
    private static String ffprobeVideo(Path file) throws Exception {
        assertThat(Files.size(file)).isPositive();
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
