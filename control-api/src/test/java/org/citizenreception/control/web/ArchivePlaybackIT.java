package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.recording.RecordedSessions;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "a Chromium page plays it from the archive": a session recorded from real libwebrtc
 * publishers over WHIP (the host, then room A with the floor, then the host again) is ended and
 * composed; its host signs in in Chromium and opens the archive. The player's source is a signed
 * playback link (no token in the URL); the video plays (currentTime advances), and a seek past what
 * the browser holds is answered by the server with a 206 to a Range request, the video resuming at
 * the target. A link altered or missing is refused with problem+json. The admin's sessions list and
 * the secretary's console of the ended session link to the archive view and the session record,
 * which opens in the reader's language.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchivePlaybackIT {
    private static final String HOST_ROOM = "QN-VP";
    private static final String ROOM_A = "QN25-BAI-CHAY";
    private static final String HOST_USER = "chutri.luutru";
    private static final long SEGMENT_MILLIS = 4_000;
    private static final Pattern STREAM_206 = Pattern.compile(
            "reception_api_requests_seconds_count\\{[^}]*route=\"/api/v1/recordings/\\{recording}/stream\"[^}]*status=\"206\"[^}]*} ([0-9.]+)");

    @TempDir
    static Path dir;
    private TestServer t;
    private PeerConnectionFactory factory;
    private Browser browser;
    private final List<LibwebrtcPeer> peers = new ArrayList<>();

    @BeforeAll
    void start() {
        t = TestServer.start(dir);
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        t.createUser(HOST_USER, Role.HOST, null);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        peers.forEach(LibwebrtcPeer::close);
        if (factory != null) {
            factory.dispose();
        }
        if (t != null) {
            t.close();
        }
    }

    @Test
    void theHostPlaysTheProgramFromTheArchiveAndSeeksWithARangeRequest() throws Exception {
        String host = t.token(HOST_USER, TestServer.passwordOf(HOST_USER));
        long session = recordSession(host);

        JsonNode archive = t.get("/api/v1/sessions/" + session + "/recordings", host).json().get("recordings");
        long program = -1;
        String recordFile = null;
        for (JsonNode r : archive) {
            if (r.get("kind").asText().equals("PROGRAM")) {
                program = r.get("id").asLong();
            } else if (r.get("kind").asText().equals("RECORD")) {
                recordFile = r.get("fileName").asText();
            }
        }
        assertThat(program).as("the program in the archive: %s", archive).isPositive();

        browser = new Browser("http://127.0.0.1:" + t.server.httpPort() + "/", dir.resolve("chrome-profile"));
        browser.signIn(HOST_USER, TestServer.passwordOf(HOST_USER));
        browser.open("/archive/" + session);
        browser.waitFor("#archive-video");
        browser.waitFor("#archive-chapters li button");
        RecordedSessions.waitUntil(() -> number("return document.getElementById('archive-video').readyState") >= 1, 30,
                "the player has the program's metadata");
        String src = (String) browser.js("return document.getElementById('archive-video').currentSrc");
        assertThat(src).as("the player streams through a playback link").contains("/api/v1/recordings/" + program + "/stream?exp=")
                .contains("&sig=").doesNotContain(host);
        double duration = number("return document.getElementById('archive-video').duration");
        assertThat(duration).as("the program's duration").isGreaterThan(6);

        // Seek first, past what preload=metadata fetched: only a Range request can answer it.
        double target = duration - 3;
        String buffered = (String) browser.js("const b = document.getElementById('archive-video').buffered; const r = [];"
                + " for (let i = 0; i < b.length; i++) r.push(b.start(i) + '-' + b.end(i)); return r.join(',');");
        assertThat(bufferedCovers(buffered, target)).as("the seek target %.1f s is not buffered yet (%s)", target, buffered).isFalse();
        double rangesBefore = streamed206();
        browser.js("window.__seeked = false; const v = document.getElementById('archive-video');"
                + " v.addEventListener('seeked', () => { window.__seeked = true; }, { once: true }); v.currentTime = arguments[0];", target);
        RecordedSessions.waitUntil(() -> Boolean.TRUE.equals(browser.js("return window.__seeked")), 30, "the seek completes");
        double rangesAfter = streamed206();
        double position = number("return document.getElementById('archive-video').currentTime");
        System.out.printf("program %.1f s; buffered before the seek %s; seek to %.1f s landed at %.2f s; 206 answers on the stream: %.0f before,"
                + " %.0f after%n", duration, buffered, target, position, rangesBefore, rangesAfter);
        assertThat(rangesAfter).as("the server answered the seek's Range request with 206").isGreaterThan(rangesBefore);
        assertThat(position).as("position after the seek").isBetween(target - 0.5, target + 0.5);

        // Then it plays on from there (muted: a page needs no gesture for that).
        browser.js("const v = document.getElementById('archive-video'); v.muted = true; v.play();");
        RecordedSessions.waitUntil(() -> number("return document.getElementById('archive-video').currentTime") > target + 1, 30,
                "currentTime advances while playing");
        browser.js("document.getElementById('archive-video').pause();");
        browser.viewport(1280, 1500);
        browser.screenshot("archive-vi");
        browser.defaultViewport();

        // The link is the access: altered or missing, the stream is refused with problem+json.
        String link = src.substring(src.indexOf("/api/v1/"));
        String sig = link.substring(link.indexOf("sig=") + 4, link.indexOf("sig=") + 68);
        String altered = link.replace("sig=" + sig, "sig=" + (sig.charAt(0) == 'a' ? 'b' : 'a') + sig.substring(1));
        TestServer.Response refused = t.get(altered, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(t.get("/api/v1/recordings/" + program + "/stream", null).status()).isEqualTo(401);
        assertThat(t.get(link.replace("/recordings/" + program + "/", "/recordings/" + (program + 1) + "/"), null).status())
                .as("a link opens only its own recording").isIn(403, 404);

        if (recordFile != null) {
            renderRecordFirstPage(dir.resolve("data").resolve("recordings").resolve("session-" + session).resolve(recordFile), "record-vi");
        }
        Path english = dir.resolve("record-en.pdf");
        java.net.http.HttpResponse<byte[]> recordEn = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                t.uri("/api/v1/sessions/" + session + "/record.pdf?lang=en")).header("Authorization", "Bearer " + host).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(recordEn.statusCode()).isEqualTo(200);
        Files.write(english, recordEn.body());
        renderRecordFirstPage(english, "record-en");

        followTheLinksFromTheAdminAndSecretaryPages(session);
    }

    /**
     * The admin's sessions list links the ended session's recording and its record: the record opens
     * in the reader's language, the recording link leads to the archive view; the secretary's console
     * of the ended session carries the same links.
     */
    private void followTheLinksFromTheAdminAndSecretaryPages(long session) throws InterruptedException {
        String row = "#sessions-table tr[data-session-id='" + session + "']";
        browser.signOut();
        browser.signIn("admin", TestServer.ADMIN_PASSWORD);
        browser.go("/admin/sessions", row + " .archive-link");
        assertThat(browser.find(row + " .archive-link").getText()).isEqualTo("Bản ghi");
        assertThat(browser.find(row + " .record-link").getText()).isEqualTo("Biên bản");
        browser.screenshot("admin-sessions-archive-vi");
        assertThat(recordOpenedFrom(row + " .record-link", "record-html-vi")).contains("BIÊN BẢN PHIÊN TIẾP CÔNG DÂN TRỰC TUYẾN", "Có mặt");

        browser.language("en");
        assertThat(browser.find(row + " .archive-link").getText()).isEqualTo("Recording");
        assertThat(recordOpenedFrom(row + " .record-link", "record-html-en"))
                .contains("RECORD OF THE ONLINE CITIZEN RECEPTION SESSION", "Presiding official").doesNotContain("BIÊN BẢN");
        browser.find(row + " .archive-link").click();
        browser.waitFor("#archive-video");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/archive/" + session);
        RecordedSessions.waitUntil(() -> !browser.findAll("#archive-list tr[data-recording-id]").isEmpty(), 15, "the archive lists the files");
        browser.viewport(1280, 1500);
        browser.screenshot("archive-en");
        browser.defaultViewport();
        browser.language("vi");

        String secretary = "thuky.luutru";
        t.createUser(secretary, Role.SECRETARY, null);
        browser.signOut();
        browser.signIn(secretary, TestServer.passwordOf(secretary));
        browser.open("/secretary/" + session);
        browser.waitFor(".room-status .archive-link");
        assertThat(browser.find(".room-status .archive-link").getAttribute("href")).endsWith("#/archive/" + session);
        assertThat(browser.find(".room-status .record-link").getText()).isEqualTo("Biên bản");
    }

    /** Clicks a record link, reads the tab it opens (screenshot {@code name}), closes it and returns its text. */
    private String recordOpenedFrom(String linkSelector, String name) throws InterruptedException {
        String console = browser.driver.getWindowHandle();
        java.util.Set<String> before = browser.driver.getWindowHandles();
        browser.find(linkSelector).click();
        RecordedSessions.waitUntil(() -> browser.driver.getWindowHandles().size() > before.size(), 15, "the record opens in a new tab");
        String tab = browser.driver.getWindowHandles().stream().filter(h -> !before.contains(h)).findFirst().orElseThrow();
        browser.driver.switchTo().window(tab);
        RecordedSessions.waitUntil(() -> browser.driver.findElements(org.openqa.selenium.By.cssSelector("h1")).size() > 0, 15,
                "the record's page is shown");
        String text = browser.driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
        browser.viewport(1100, 1100);
        browser.screenshot(name);
        browser.defaultViewport();
        browser.driver.close();
        browser.driver.switchTo().window(console);
        return text;
    }

    /** A 12 s session: host, room A with the floor, host again; then ended and composed. */
    private long recordSession(String host) throws Exception {
        long session = RecordedSessions.schedule(t, HOST_ROOM, List.of(ROOM_A));
        LibwebrtcPeer publisher = track(LibwebrtcPeer.publisher(factory, "host-archive"));
        RecordedSessions.publish(t, session, publisher, host);
        RecordedSessions.waitUntil(() -> "LIVE".equals(t.get("/api/v1/sessions/" + session, host).json().get("state").asText()), 20,
                "the host's media makes the session live");
        RecordedSessions.waitUntil(() -> "RECORDING".equals(RecordedSessions.state(t, session, host)), 90, "the recording starts on LIVE");
        // The pauses are the program's length, not synchronisation: each segment is what the recording holds.
        Thread.sleep(SEGMENT_MILLIS);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/floor", host, Map.of("roomCode", ROOM_A)).status()).isEqualTo(200);
        RecordedSessions.publish(t, session, track(LibwebrtcPeer.publisher(factory, "room-a-archive")), t.joinToken(session, ROOM_A));
        Thread.sleep(SEGMENT_MILLIS);
        // the test clock stands still unless moved: a minute on the floor, so the record shows room A present
        RecordedSessions.waitUntil(() -> t.get("/api/v1/sessions/" + session + "/attendance", host).body().contains("\"connectedNow\":true"),
                20, "room A's guest endpoint is connected");
        t.clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(t.send("DELETE", "/api/v1/sessions/" + session + "/floor", host, null, (String) null).status()).isEqualTo(200);
        Thread.sleep(SEGMENT_MILLIS);
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "ENDED")).status()).isEqualTo(200);
        RecordedSessions.waitUntil(() -> "DONE".equals(RecordedSessions.state(t, session, host)), 180, "the program is composed and sealed");
        return session;
    }

    /** The session record's first page as target/screenshots/{name}.png, when pdftoppm (poppler-utils) is installed. */
    private static void renderRecordFirstPage(Path pdf, String name) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/pdftoppm"))) {
            System.out.println("pdftoppm not installed: " + name + ".png not rendered");
            return;
        }
        Files.createDirectories(Browser.SCREENSHOTS);
        Process p = new ProcessBuilder("/usr/bin/pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf.toString(),
                Browser.SCREENSHOTS.resolve(name).toString()).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Browser.SCREENSHOTS.resolve(name + ".png")).exists();
    }

    private double streamed206() {
        Matcher m = STREAM_206.matcher(t.get("/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private double number(String script) {
        Object v = browser.js(script);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static boolean bufferedCovers(String ranges, double at) {
        for (String range : ranges.split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            String[] ends = range.split("-");
            if (Double.parseDouble(ends[0]) <= at && at <= Double.parseDouble(ends[1])) {
                return true;
            }
        }
        return false;
    }

    private LibwebrtcPeer track(LibwebrtcPeer peer) {
        peers.add(peer);
        return peer;
    }
}
