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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * js/webrtc.js in Chromium against the real server's WHIP and WHEP routes and its bridge: the offer
 * POST, 201 + Location + ETag, the bearer token, decoding what a WHIP publisher in the same page
 * sends, ICE restart by PATCH of an SDP fragment, the fall-back to a new session when the server
 * refuses the PATCH (its resource was deleted), and DELETE on leaving. The page's fetch is wrapped
 * only to record each request and its response status; every request reaches the server.
 */
class WebRtcClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Records each request of a client (and the status and headers answered) and passes it to the real fetch. */
    private static final String RECORDING_FETCH = """
            const recorder = (log) => async (url, init = {}) => {
              const headers = init.headers || {};
              const entry = { method: init.method || 'GET', url: String(url).replace(location.origin, ''), contentType: headers['Content-Type'] || null,
                authorization: headers.Authorization || null, ifMatch: headers['If-Match'] || null, body: init.body || null };
              log.push(entry);
              const res = await fetch(url, init);
              entry.status = res.status; entry.location = res.headers.get('Location'); entry.etag = res.headers.get('ETag');
              if (!res.ok) entry.problem = await res.clone().text();
              return res;
            };
            const waitUntil = async (cond, ms) => { const end = performance.now() + ms;
              while (performance.now() < end) { if (await cond()) return; await new Promise((r) => setTimeout(r, 100)); }
              throw new Error('timed out: ' + cond); };
            """;

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    /** The presiding host's token: only a session's own host publishes into its main slot. */
    static String host;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
        String admin = post("/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD)).get("token").asText();
        post("/api/v1/users", admin, Map.of("username", "webrtc.host", "displayName", "Chủ tịch UBND tỉnh", "role", "HOST",
                "password", "webrtc-host-password"));
        host = post("/api/v1/auth/login", null, Map.of("username", "webrtc.host", "password", "webrtc-host-password")).get("token").asText();
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

    @BeforeEach
    void page() {
        browser.open("/signin");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(String body) {
        Object result = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];" + RECORDING_FETCH
                + "(async () => {" + body + "})().catch((e) => done({ error: String(e && e.stack || e) }));");
        Map<String, Object> map = (Map<String, Object>) result;
        assertThat(map.get("error")).as("script error").isNull();
        return map;
    }

    /** Starts a WHIP publisher of the fake camera and microphone in the page, as {@code window.publisher}. */
    private static String publisherScript(long session) {
        return """
                const publisherLog = [];
                const cam = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
                window.publisher = new MediaClient({ mode: 'whip', url: '/whip/%d', token: '%s', stream: cam, fetch: recorder(publisherLog) });
                await window.publisher.start();
                await waitUntil(() => window.publisher.state === 'connected', 20000);
                """.formatted(session, host);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_whep_viewer_posts_its_offer_decodes_video_restarts_ice_by_patch_and_deletes_its_resource() {
        long session = scheduleSession();
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                %s
                const log = [];
                const states = [];
                const video = document.createElement('video');
                video.muted = true; document.body.append(video);
                const t00 = performance.now();
                const client = new MediaClient({ mode: 'whep', url: '/whep/%d', token: '%s', fetch: recorder(log),
                  onState: (s) => states.push(s + '@' + Math.round(performance.now() - t00)), onTrack: (s) => { video.srcObject = s; video.play().catch(() => {}); } });
                await client.start();
                await waitUntil(() => client.state === 'connected', 20000);
                await waitUntil(async () => ((await client.stats()).framesDecoded || 0) > 0 && video.videoWidth > 0, 20000);
                const before = await client.stats();
                const ufragBefore = client.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];
                await client.restartIce();
                const ufragAfter = client.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];
                const stateAfterRestart = client.state;
                const framesAtRestart = (await client.stats()).framesDecoded;
                await waitUntil(async () => (await client.stats()).framesDecoded > framesAtRestart + 10, 20000);
                const after = await client.stats();
                await client.stop();
                await waitUntil(() => log.length === 3 && log[2].status !== undefined, 10000);
                await window.publisher.stop();
                done({ states, log: log.map((l) => ({ ...l, body: l.method === 'PATCH' ? l.body : null })),
                  framesBefore: before.framesDecoded, framesAfter: after.framesDecoded, width: before.width,
                  ufragBefore, ufragAfter, stateAfterRestart, finalState: client.state });
                """.formatted(publisherScript(session), session, host));
        List<Map<String, Object>> log = (List<Map<String, Object>>) r.get("log");
        assertThat(log).extracting(l -> l.get("method")).containsExactly("POST", "PATCH", "DELETE");
        Map<String, Object> post = log.get(0);
        assertThat(post.get("url")).isEqualTo("/whep/" + session);
        assertThat(post.get("contentType")).isEqualTo("application/sdp");
        assertThat(post.get("authorization")).isEqualTo("Bearer " + host);
        assertThat(post.get("status")).isEqualTo(201L);
        String resource = (String) post.get("location");
        assertThat(resource).startsWith("/whep/" + session + "/");
        assertThat((String) post.get("etag")).isNotBlank();
        Map<String, Object> patch = log.get(1);
        assertThat((String) patch.get("url")).endsWith(resource);
        assertThat(patch.get("contentType")).isEqualTo("application/trickle-ice-sdpfrag");
        assertThat(patch.get("ifMatch")).isEqualTo(post.get("etag"));
        assertThat((String) patch.get("body")).contains("a=ice-ufrag:", "a=ice-pwd:", "a=mid:");
        assertThat(patch.get("status")).as("the server accepted the ICE restart").isEqualTo(200L);
        assertThat(patch.get("etag")).as("a new ICE session, a new tag").isNotEqualTo(post.get("etag"));
        assertThat((String) log.get(2).get("url")).endsWith(resource);
        // webrtc.js closes its peer connection before it sends DELETE: the bridge may already have closed the
        // endpoint on Chromium's DTLS close_notify; a DELETE of one's own endpoint already gone is 204.
        assertThat(log.get(2).get("status")).as("DELETE of the resource after the restart (%s); client states %s",
                        log.get(2).get("problem"), r.get("states"))
                .isIn(200L, 204L);

        assertThat(((Number) r.get("width")).intValue()).isGreaterThan(0);
        assertThat(((Number) r.get("framesAfter")).longValue()).as("frames keep being decoded across the ICE restart")
                .isGreaterThan(((Number) r.get("framesBefore")).longValue());
        assertThat(r.get("ufragAfter")).as("the bridge's new ICE credentials").isNotEqualTo(r.get("ufragBefore"));
        assertThat(r.get("stateAfterRestart")).isEqualTo("connected");
        assertThat(((List<String>) r.get("states")).stream().map(s -> s.substring(0, s.indexOf('@'))).toList())
                .containsSubsequence("connecting", "connected", "closed");
        assertThat(r.get("finalState")).isEqualTo("closed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_refused_ice_restart_falls_back_to_a_new_session_after_backoff() {
        long session = scheduleSession();
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                %s
                const log = [];
                const states = [];
                const client = new MediaClient({ mode: 'whep', url: '/whep/%d', token: '%s', fetch: recorder(log), onState: (s) => states.push(s) });
                await client.start();
                await waitUntil(() => client.state === 'connected', 20000);
                // The resource disappears on the server (deleted behind the client's back): its PATCH gets a refusal.
                // (the client may notice the closed endpoint and restart by itself first: either way one PATCH is refused)
                const t0 = performance.now();
                const gone = await fetch(log[0].location, { method: 'DELETE', headers: { Authorization: 'Bearer %s' } });
                await client.restartIce();
                await waitUntil(() => client.state === 'connected' && log.filter((l) => l.method === 'POST').length === 2, 30000);
                const reconnectMs = performance.now() - t0;
                await waitUntil(async () => ((await client.stats()).framesDecoded || 0) > 0, 20000);
                await client.stop();
                await waitUntil(() => log[log.length - 1].method === 'DELETE' && log[log.length - 1].status !== undefined, 10000);
                await window.publisher.stop();
                done({ states, deleteStatus: gone.status, deleteProblem: await gone.text(), reconnectMs,
                  calls: log.map((l) => ({ request: l.method + ' ' + l.url, status: l.status, location: l.location })) });
                """.formatted(publisherScript(session), session, host, host));
        System.out.println("DELETE of the resource behind the client's back: " + r.get("deleteStatus") + " " + r.get("deleteProblem"));
        assertThat(r.get("deleteStatus")).as("DELETE of the resource: %s", r.get("deleteProblem")).isIn(200L, 404L);
        List<Map<String, Object>> calls = (List<Map<String, Object>>) r.get("calls");
        String first = (String) calls.get(0).get("location");
        String second = (String) calls.get(3).get("location");
        assertThat(calls).extracting(c -> c.get("request")).containsExactly(
                "POST /whep/" + session, "PATCH " + first, "DELETE " + first, "POST /whep/" + session, "DELETE " + second);
        assertThat(calls.get(1).get("status")).as("the server refused the PATCH of a deleted resource").isEqualTo(404L);
        assertThat(calls.get(3).get("status")).isEqualTo(201L);
        assertThat(second).isNotEqualTo(first);
        assertThat((List<String>) r.get("states")).containsSubsequence("connected", "reconnecting", "connected", "closed");
        // webrtc.js waits 500 ms × (0.8 to 1.2) after a refusal before its new offer, so never less than 400 ms.
        assertThat(((Number) r.get("reconnectMs")).doubleValue()).as("a client that was connected waits before its first new offer")
                .isGreaterThanOrEqualTo(400.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_whip_publisher_sends_the_camera_and_the_bridge_forwards_both_kinds() {
        long session = scheduleSession();
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                %s
                await waitUntil(async () => ((await window.publisher.stats()).framesSent || 0) > 0, 20000);
                const sent = await window.publisher.stats();
                const viewer = new MediaClient({ mode: 'whep', url: '/whep/%d', token: '%s' });
                await viewer.start();
                await waitUntil(() => viewer.state === 'connected', 20000);
                const received = async () => { const kinds = {}; (await viewer.pc.getStats()).forEach((s) => {
                  if (s.type === 'inbound-rtp') kinds[s.kind] = s.packetsReceived; }); return kinds; };
                await waitUntil(async () => { const k = await received(); return k.audio > 0 && k.video > 0; }, 20000);
                const kinds = await received();
                await viewer.stop();
                await window.publisher.stop();
                done({ kinds, framesSent: sent.framesSent, offer: publisherLog[0].body, status: publisherLog[0].status,
                  url: publisherLog[0].url, auth: publisherLog[0].authorization });
                """.formatted(publisherScript(session), session, host));
        Map<String, Object> kinds = (Map<String, Object>) r.get("kinds");
        assertThat(kinds).containsKeys("audio", "video");
        assertThat(((Number) kinds.get("audio")).longValue()).as("audio packets the bridge forwarded").isPositive();
        assertThat(((Number) kinds.get("video")).longValue()).as("video packets the bridge forwarded").isPositive();
        String offer = (String) r.get("offer");
        assertThat(offer.split("a=sendonly", -1).length - 1).as("both m-lines send only").isEqualTo(2);
        assertThat(((Number) r.get("framesSent")).longValue()).isPositive();
        assertThat(r.get("status")).isEqualTo(201L);
        assertThat(r.get("url")).isEqualTo("/whip/" + session);
        assertThat(r.get("auth")).isEqualTo("Bearer " + host);
    }

    /** A session of its own for each test, scheduled to start in five minutes (WHIP and WHEP accept SCHEDULED). */
    private static long scheduleSession() {
        Instant start = Instant.now().plus(Duration.ofMinutes(5));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân — thử webrtc.js");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(2)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "LIST", "rooms", List.of("QN25-BAI-CHAY")));
        body.put("mode", "ONLINE");
        body.put("recording", false);
        return post("/api/v1/sessions", host, body).get("id").asLong();
    }

    private static JsonNode post(String path, String token, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path.substring(1)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(path, e);
        }
    }
}
