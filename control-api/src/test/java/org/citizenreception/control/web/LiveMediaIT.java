package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The consoles with real media through our bridge: the host goes live from the host console with
 * Chromium's fake camera, two room screens opened from join links decode the program and appear
 * connected on the host's wall, a room raises its hand, the host grants the floor, the host decodes
 * the room's video and the other room sees it inset; the host ends the session.
 */
class LiveMediaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_host_goes_live_rooms_watch_one_takes_the_floor_and_everyone_sees_it() throws Exception {
        String admin = api("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD)).get("token").asText();
        String hostRoom = null;
        List<String> rooms = new ArrayList<>();
        for (JsonNode room : api("GET", "/api/v1/rooms", admin, null)) {
            if ("PROVINCE".equals(room.get("level").asText()) && hostRoom == null) {
                hostRoom = room.get("code").asText();
            } else if ("COMMUNE".equals(room.get("level").asText()) && room.get("validTo").isNull() && rooms.size() < 3) {
                rooms.add(room.get("code").asText());
            }
        }
        api("POST", "/api/v1/users", admin, Map.of("username", "chutri", "displayName", "Chủ tịch UBND tỉnh", "role", "HOST",
                "password", "chutri-mat-khau-2026"));
        Map<String, Object> session = new LinkedHashMap<>();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        session.put("title", "Tiếp công dân trực tuyến");
        session.put("scheduledStart", start.toString());
        session.put("scheduledEnd", start.plus(2, ChronoUnit.HOURS).toString());
        session.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        session.put("hostRoomCode", hostRoom);
        session.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        long id = api("POST", "/api/v1/sessions", admin, session).get("id").asLong();
        String host = api("POST", "/api/v1/auth/login", null, Map.of("username", "chutri", "password", "chutri-mat-khau-2026")).get("token").asText();
        List<String> links = new ArrayList<>();
        for (String room : rooms.subList(0, 2)) {
            String token = api("POST", "/api/v1/sessions/" + id + "/rooms/" + room + "/join-token", host, null).get("token").asText();
            links.add(server.baseUrl().replace("127.0.0.1", "localhost") + "#/join/" + id + "?room=" + room + "&token=" + token);
        }

        // The host goes live from the console.
        String hostTab = browser.driver.getWindowHandle();
        browser.signIn("chutri", "chutri-mat-khau-2026");
        browser.go("/host/" + id, "#room-wall .tile");
        browser.waitFor("#host-preview");
        new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> !browser.findAll("#cam-select option").isEmpty());
        browser.find("#go-live").click();
        browser.waitFor("#host-on-air");

        // Two rooms open their join links and decode the program.
        List<String> roomTabs = new ArrayList<>();
        for (String link : links) {
            browser.driver.switchTo().newWindow(WindowType.TAB);
            roomTabs.add(browser.driver.getWindowHandle());
            browser.driver.get(link);
            browser.waitFor("#room-state[data-state='connected']");
        }
        for (String tab : roomTabs) {
            browser.driver.switchTo().window(tab);
            assertDecoding("#program-video");
        }

        // The host's wall counts them.
        browser.driver.switchTo().window(hostTab);
        browser.waitForText("#connected-count", "2/3");
        browser.screenshotForDocs("host-live-vi");

        // The first room asks for the floor; the host grants it and sees the room.
        browser.driver.switchTo().window(roomTabs.get(0));
        browser.find("#raise-hand").click();
        browser.driver.switchTo().window(hostTab);
        browser.waitFor("#hand-queue li[data-room='" + rooms.get(0) + "'] button").click();
        browser.waitFor("#revoke-floor");
        browser.driver.switchTo().window(roomTabs.get(0));
        browser.waitFor("#room-on-air");
        browser.driver.switchTo().window(hostTab);
        assertDecoding("#guest-video");
        browser.screenshotForDocs("host-guest-vi");

        // The other room sees the guest inset over the program.
        browser.driver.switchTo().window(roomTabs.get(1));
        browser.waitFor(".guest-inset");
        assertDecoding("#guest-video");
        browser.screenshotForDocs("room-guest-vi");

        // The viewer restarts ICE against the bridge (PATCH) and keeps decoding; then it drops the
        // connection altogether and comes back by a fresh offer, the way it does after a network cut.
        @SuppressWarnings("unchecked")
        Map<String, Object> restart = (Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const c = document.getElementById('program').mediaClient;"
                + "const ufrag = () => c.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];"
                + "const before = ufrag(); const states = []; const old = c.opts.onState;"
                + "c.opts.onState = (s) => { states.push(s); old(s); };"
                + "c.restartIce().then(async () => {"
                + "  const after = ufrag(); c.scheduleReconnect(); const t0 = Date.now();"
                + "  while (c.state !== 'connected' && Date.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 100));"
                + "  done({ before, after, states, state: c.state, ms: Date.now() - t0 });"
                + "}).catch((e) => done({ error: String(e) }));");
        assertThat(restart.get("error")).isNull();
        assertThat(restart.get("after")).as("the bridge answered the ICE restart with new credentials").isNotEqualTo(restart.get("before"));
        assertThat((List<String>) restart.get("states")).containsSubsequence("reconnecting", "connected");
        assertThat(restart.get("state")).isEqualTo("connected");
        assertDecoding("#program-video");

        // Audio-only for a weak link: one audio m-line, the program's sound keeps coming.
        browser.find("#audio-only").click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(browser.js(
                "const c = document.getElementById('program').mediaClient; return !!c && c.opts.audioOnly && c.state === 'connected';")));
        @SuppressWarnings("unchecked")
        Map<String, Object> audio = (Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const c = document.getElementById('program').mediaClient;"
                + "(async () => { const a = await c.stats(); await new Promise((r) => setTimeout(r, 1500)); const b = await c.stats();"
                + "  const kinds = c.pc.getTransceivers().map((t) => t.receiver.track.kind);"
                + "  done({ kinds, bytesBefore: a.bytes, bytesAfter: b.bytes }); })().catch((e) => done({ error: String(e) }));");
        assertThat(audio.get("error")).isNull();
        assertThat((List<String>) audio.get("kinds")).containsExactly("audio");
        assertThat(((Number) audio.get("bytesAfter")).longValue()).isGreaterThan(((Number) audio.get("bytesBefore")).longValue());
        browser.find("#audio-only").click();
        browser.waitFor("#room-state[data-state='connected']");

        // The host ends the session; the rooms are told.
        browser.driver.switchTo().window(hostTab);
        browser.js("window.confirm = () => true;");
        browser.find("#end-session").click();
        browser.driver.switchTo().window(roomTabs.get(1));
        browser.waitForText("#program .overlay", "Phiên tiếp dân đã kết thúc");

        // The attendance report: the two rooms that joined are present, the third absent.
        browser.driver.get(server.baseUrl().replace("127.0.0.1", "localhost") + "?load=admin#/signin");
        browser.waitFor("input[name='username']").sendKeys("admin");
        browser.find("input[name='password']").sendKeys(WebServer.ADMIN_PASSWORD);
        browser.find("form button[type='submit']").click();
        browser.waitFor("#home-today");
        browser.go("/admin/attendance/" + id, "#attendance-table");
        assertThat(browser.find("#attendance-table tr[data-room='" + rooms.get(0) + "']").getAttribute("data-presence")).isEqualTo("PRESENT");
        assertThat(browser.find("#attendance-table tr[data-room='" + rooms.get(1) + "']").getAttribute("data-presence")).isEqualTo("PRESENT");
        assertThat(browser.find("#attendance-table tr[data-room='" + rooms.get(2) + "']").getAttribute("data-presence")).isEqualTo("ABSENT");
        browser.screenshotForDocs("admin-attendance-live-vi");
    }

    /** The element's decoded frame count rises over a second and a half. */
    private static void assertDecoding(String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> {
            Object w = browser.js("const v = document.querySelector(arguments[0]); return v ? v.videoWidth : 0;", css);
            return ((Number) w).intValue() > 0;
        });
        long before = frames(css);
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d -> frames(css) > before + 5);
    }

    private static long frames(String css) {
        Object n = browser.js("const v = document.querySelector(arguments[0]); return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0;", css);
        return ((Number) n).longValue();
    }

    private static JsonNode api(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
