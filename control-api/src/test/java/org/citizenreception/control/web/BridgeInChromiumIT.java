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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

/**
 * The bridge with a real browser on both sides: headless Chromium publishes its fake camera and
 * microphone through WHIP, and three Chromium tabs play through WHEP, each with the project's own
 * {@code js/webrtc.js} client against the real server (ICE-lite, DTLS-SRTP, RTP routing).
 */
class BridgeInChromiumIT {
    static final int VIEWERS = 3;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"), 30);
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
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

    /** One room per viewer: each watches with its own room's join token, as rooms do (one live endpoint per token). */
    private static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1", "QN25-CAM-PHA");

    @Test
    void chromiumPublishesThroughWhipAndThreeChromiumViewersDecodeThroughWhep() throws Exception {
        // Only a session's own host publishes into its main slot: a host account schedules (and so presides) it.
        String host = hostLogin();
        long session = scheduleSession(host);
        String publisherTab = browser.driver.getWindowHandle();
        browser.open("/signin");
        Map<String, Object> published = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
                window.publisher = new MediaClient({ mode: 'whip', url: '/whip/%d', token: '%s', stream });
                await window.publisher.start();
                await waitFor(() => window.publisher.state === 'connected', 20000);
                done({ state: window.publisher.state });
                """.formatted(session, host));
        assertThat(published.get("state")).isEqualTo("connected");

        List<String> viewerTabs = new ArrayList<>();
        for (int i = 0; i < VIEWERS; i++) {
            browser.driver.switchTo().newWindow(WindowType.TAB);
            viewerTabs.add(browser.driver.getWindowHandle());
            browser.open("/signin");
            Map<String, Object> joined = run("""
                    const { MediaClient } = await import('/js/webrtc.js');
                    const video = document.createElement('video');
                    video.muted = true; video.autoplay = true; video.playsInline = true; document.body.append(video);
                    window.viewer = new MediaClient({ mode: 'whep', url: '/whep/%d', token: '%s',
                      onTrack: (s) => { video.srcObject = s; video.play().catch(() => {}); } });
                    await window.viewer.start();
                    await waitFor(() => window.viewer.state === 'connected', 20000);
                    await waitFor(async () => ((await window.viewer.stats()).framesDecoded || 0) > 0, 15000);
                    done({ state: window.viewer.state });
                    """.formatted(session, joinToken(host, session, ROOMS.get(i))));
            assertThat(joined.get("state")).isEqualTo("connected");
        }

        // A 10 s window, read from the publisher's encoder and from each viewer: the bar is relative to the
        // frames the publisher sent, since on a loaded machine Chromium's encoder sends fewer than the camera gives.
        long sentBefore = framesSent(publisherTab);
        Map<String, Long> decodedBefore = new LinkedHashMap<>();
        for (String tab : viewerTabs) {
            decodedBefore.put(tab, framesDecoded(tab));
        }
        Thread.sleep(10_000); // the window measured, not a wait for something
        long sent = framesSent(publisherTab) - sentBefore;
        assertThat(sent).as("frames the Chromium publisher sent in 10 s").isGreaterThan(100);
        for (String tab : viewerTabs) {
            browser.driver.switchTo().window(tab);
            Map<String, Object> s = run("""
                    const stats = await window.viewer.stats();
                    done({ framesDecoded: stats.framesDecoded, width: stats.width, packets: stats.packets });
                    """);
            long decoded = ((Number) s.get("framesDecoded")).longValue() - decodedBefore.get(tab);
            System.out.println("chromium viewer via the bridge: decoded " + decoded + " of " + sent + " frames sent; " + s);
            assertThat(((Number) s.get("width")).intValue()).as("decoded picture width").isGreaterThan(0);
            // the tabs are read one after the other, a few frames apart: 90 % of what was sent
            assertThat(decoded).as("frames decoded in tab " + tab + " of " + sent + " sent (" + s + ")")
                    .isGreaterThanOrEqualTo((long) Math.ceil(0.9 * sent));
        }
        browser.driver.switchTo().window(publisherTab);
        run("await window.publisher.stop(); done({});");
    }

    private static long framesSent(String publisherTab) {
        browser.driver.switchTo().window(publisherTab);
        return ((Number) run("done({ n: (await window.publisher.stats()).framesSent });").get("n")).longValue();
    }

    private static long framesDecoded(String viewerTab) {
        browser.driver.switchTo().window(viewerTab);
        return ((Number) run("done({ n: (await window.viewer.stats()).framesDecoded });").get("n")).longValue();
    }

    private static Map<String, Object> run(String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const waitFor = async (cond, ms) => { const end = performance.now() + ms;"
                        + "  while (performance.now() < end) { if (await cond()) return; await new Promise(r => setTimeout(r, 100)); }"
                        + "  throw new Error('timed out: ' + cond); };"
                        + "(async () => {" + body + "})().catch((e) => done({ error: String(e && e.stack || e) }));");
        assertThat(result.get("error")).as("script error").isNull();
        return result;
    }

    private static String hostLogin() throws Exception {
        String admin = post("/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD))
                .get("token").asText();
        post("/api/v1/users", admin, Map.of("username", "bridge.host", "displayName", "Chủ tịch UBND tỉnh", "role", "HOST",
                "password", "bridge-host-password"));
        return post("/api/v1/auth/login", null, Map.of("username", "bridge.host", "password", "bridge-host-password"))
                .get("token").asText();
    }

    private static String joinToken(String host, long session, String room) throws Exception {
        return post("/api/v1/sessions/" + session + "/rooms/" + room + "/join-token", host, Map.of()).get("token").asText();
    }

    private static long scheduleSession(String token) throws Exception {
        Instant start = Instant.now().plus(Duration.ofMinutes(5));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân — thử trình duyệt");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "LIST", "rooms", ROOMS));
        body.put("mode", "ONLINE");
        body.put("recording", false);
        return post("/api/v1/sessions", token, body).get("id").asLong();
    }

    private static JsonNode post(String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl().replaceAll("/$", "") + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }
}
