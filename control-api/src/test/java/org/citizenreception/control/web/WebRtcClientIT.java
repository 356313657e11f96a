package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * js/webrtc.js in Chromium against a WHIP/WHEP endpoint that lives in the page (a second peer
 * connection behind an injected fetch), so the client's protocol is tested while the server's media
 * routes are still being written: the offer POST, 201 + Location, the bearer token, decoding, ICE
 * restart by PATCH of an SDP fragment, the fall-back to a new session when PATCH is refused, and
 * DELETE on leaving. What this cannot show is interop with our own bridge; that is the end-to-end
 * test's job once /whip and /whep exist.
 */
class WebRtcClientIT {
    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static String fakeEndpoint;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        try (InputStream in = WebRtcClientIT.class.getResourceAsStream("/web/fake-media-endpoint.js")) {
            fakeEndpoint = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
        browser.js(fakeEndpoint);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(String body) throws IOException {
        Object result = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "(async () => {" + body + "})().catch((e) => done({ error: String(e && e.stack || e) }));");
        Map<String, Object> map = (Map<String, Object>) result;
        assertThat(map.get("error")).as("script error").isNull();
        return map;
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_whep_viewer_posts_its_offer_decodes_video_restarts_ice_by_patch_and_deletes_its_resource() throws IOException {
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                const ep = await fakeMediaEndpoint();
                const states = [];
                const video = document.createElement('video');
                video.muted = true; document.body.append(video);
                const client = new MediaClient({ mode: 'whep', url: '/whep/42', token: 'room-token-1', fetch: (u, i) => ep.fetch(u, i),
                  onState: (s) => states.push(s), onTrack: (s) => { video.srcObject = s; video.play().catch(() => {}); } });
                ep.client = client;
                await client.start();
                await waitUntil(() => client.state === 'connected', 15000);
                await client.stats();
                await waitUntil(() => video.videoWidth > 0, 10000);
                await new Promise((r) => setTimeout(r, 1500));
                const before = await client.stats();
                const ufragBefore = client.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];
                await client.restartIce();
                const ufragAfter = client.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];
                await new Promise((r) => setTimeout(r, 1500));
                const after = await client.stats();
                await client.stop();
                done({ states, log: ep.log.map((l) => ({ ...l, body: l.method === 'PATCH' ? l.body : null })),
                  framesBefore: before.framesDecoded, framesAfter: after.framesDecoded, width: before.width,
                  kbps: before.bitrateKbps, ufragBefore, ufragAfter, finalState: client.state, peerState: client.pc });
                """);
        List<Map<String, Object>> log = (List<Map<String, Object>>) r.get("log");
        assertThat(log).extracting(l -> l.get("method")).containsExactly("POST", "PATCH", "DELETE");
        Map<String, Object> post = log.get(0);
        assertThat(post.get("url")).isEqualTo("/whep/42");
        assertThat(post.get("contentType")).isEqualTo("application/sdp");
        assertThat(post.get("authorization")).isEqualTo("Bearer room-token-1");
        Map<String, Object> patch = log.get(1);
        assertThat((String) patch.get("url")).endsWith("/whep/resource/1");
        assertThat(patch.get("contentType")).isEqualTo("application/trickle-ice-sdpfrag");
        assertThat(patch.get("ifMatch")).isEqualTo("\"v1\"");
        assertThat((String) patch.get("body")).contains("a=ice-ufrag:", "a=ice-pwd:", "a=mid:");
        assertThat((String) log.get(2).get("url")).endsWith("/whep/resource/1");

        assertThat(((Number) r.get("width")).intValue()).isGreaterThan(0);
        assertThat(((Number) r.get("framesAfter")).longValue()).as("frames keep being decoded across the ICE restart")
                .isGreaterThan(((Number) r.get("framesBefore")).longValue());
        assertThat(r.get("ufragAfter")).isNotEqualTo(r.get("ufragBefore"));
        assertThat((List<String>) r.get("states")).containsSubsequence("connecting", "connected", "closed");
        assertThat(r.get("finalState")).isEqualTo("closed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_refused_ice_restart_falls_back_to_a_new_session_after_backoff() throws IOException {
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                const ep = await fakeMediaEndpoint({ patchStatus: 405 });
                const states = [];
                const client = new MediaClient({ mode: 'whep', url: '/whep/7', token: 't', fetch: (u, i) => ep.fetch(u, i), onState: (s) => states.push(s) });
                ep.client = client;
                await client.start();
                await waitUntil(() => client.state === 'connected', 15000);
                const t0 = performance.now();
                await client.restartIce();
                await waitUntil(() => client.state === 'connected' && ep.peers.length === 2, 20000);
                const reconnectMs = performance.now() - t0;
                await client.stop();
                done({ states, methods: ep.log.map((l) => l.method + ' ' + l.url.replace(location.origin, '')), reconnectMs });
                """);
        assertThat((List<String>) r.get("methods")).containsExactly(
                "POST /whep/7", "PATCH /whep/resource/1", "DELETE /whep/resource/1", "POST /whep/7", "DELETE /whep/resource/2");
        assertThat((List<String>) r.get("states")).containsSubsequence("connected", "reconnecting", "connected", "closed");
        assertThat(((Number) r.get("reconnectMs")).doubleValue()).as("a client that was connected waits about half a second before its first new offer")
                .isBetween(400.0, 15000.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_whip_publisher_sends_the_camera_and_reports_what_it_sends() throws IOException {
        Map<String, Object> r = run("""
                const { MediaClient } = await import('/js/webrtc.js');
                const ep = await fakeMediaEndpoint({ send: false });
                const cam = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
                const client = new MediaClient({ mode: 'whip', url: '/whip/42', token: 'host-token', stream: cam, fetch: (u, i) => ep.fetch(u, i) });
                ep.client = client;
                await client.start();
                await waitUntil(() => client.state === 'connected', 15000);
                await client.stats();
                await new Promise((r) => setTimeout(r, 2000));
                const s = await client.stats();
                const offer = ep.log[0].body;
                await client.stop();
                done({ received: ep.received, framesSent: s.framesSent, kbps: s.bitrateKbps,
                  sendonly: (offer.match(/a=sendonly/g) || []).length, url: ep.log[0].url, auth: ep.log[0].authorization });
                """);
        assertThat((List<String>) r.get("received")).containsExactlyInAnyOrder("audio", "video");
        assertThat(((Number) r.get("sendonly")).intValue()).isEqualTo(2);
        assertThat(((Number) r.get("framesSent")).longValue()).isGreaterThan(0);
        assertThat(((Number) r.get("kbps")).doubleValue()).isGreaterThan(0);
        assertThat(r.get("auth")).isEqualTo("Bearer host-token");
    }
}
