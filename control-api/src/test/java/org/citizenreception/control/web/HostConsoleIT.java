package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.smallCameraPicture;
import static org.citizenreception.control.web.LiveMedia.until;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

/**
 * The host console as the host lives it, in Chromium with the fake camera and real media through the
 * bridge: a broadcast that cannot be negotiated says why in Vietnamese and tries again, and the badge
 * says "live" only while media flows; at 1366x768 the room speaking and the broadcast controls are
 * seen without scrolling, with "End session" apart and confirmed; a reload brings the room on the
 * floor back without touching the floor; the end of the session ends the camera, the floor and the
 * hands on every console and room screen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostConsoleIT {
    private static final Duration PATIENCE = LiveMedia.PATIENCE;
    private static final String LIVE_VI = "Đang trực tuyến";
    private static final String CLIENT = "document.getElementById('host-preview').mediaClient";

    @TempDir
    static Path dir;
    static WebServer server;
    static ReceptionApi api;
    static Browser host;
    static Browser rooms;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        api = new ReceptionApi(server);
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10);
        rooms = new Browser(server.baseUrl(), dir.resolve("room-profile"), 10, smallCameraPicture(dir.resolve("camera.y4m")));
        host.viewport(1366, 768);
        host.signIn("chutri", ReceptionApi.password("chutri"));
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
    @Order(1)
    void a_broadcast_that_cannot_be_negotiated_says_why_retries_and_is_never_shown_live_while_no_media_flows() throws Exception {
        long id = api.scheduleNow("Phiên thử lỗi kết nối", api.communes(2));
        host.open("/host/" + id);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        // Faults between the page and the server, switched by the test: the server itself is real.
        host.js("window.__fault = 'http503'; const real = window.fetch.bind(window);"
                + "window.fetch = async (url, init) => {"
                + "  const f = window.__fault; if (!f || !String(url).includes('/whip/') || !init || init.method !== 'POST') return real(url, init);"
                + "  if (f === 'http503') return new Response('{}', { status: 503, headers: { 'Content-Type': 'application/problem+json' } });"
                + "  const res = await real(url, init); const sdp = await res.text();"
                + "  const body = f === 'badAnswer' ? 'v=0\\r\\nthis is no answer\\r\\n'"
                + "    : sdp.replace(/(a=candidate:\\S+ \\d+ udp \\d+ \\S+ )(\\d+)/gi, (m, head) => head + '9');"
                + "  return new Response(body, { status: res.status, headers: res.headers }); };");
        host.find("#go-live").click();

        expectProblem("Máy chủ đang gặp lỗi (HTTP 503)");
        host.screenshotForDocs("host-error-vi");
        assertThat(host.find("#retry-publish").isDisplayed()).as("a way to try again at once").isTrue();
        host.language("en");
        assertThat(host.find("#publish-state").getText()).contains("The server has an error (HTTP 503)", "Retrying automatically");
        host.language("vi");

        host.js("window.__fault = 'badAnswer';");
        host.find("#retry-publish").click();
        expectProblem("Trình duyệt không chấp nhận câu trả lời của máy chủ");

        host.js("window.__fault = 'deadCandidate';");
        host.find("#retry-publish").click();
        expectProblem("Không thiết lập được đường truyền hình ảnh trong 5 giây");

        host.js("window.__fault = null;");
        host.find("#retry-publish").click();
        until(host, () -> "true".equals(badge("data-flowing")) && LIVE_VI.equals(badge("text")), "the badge says live once media flows");
        assertThat(host.find("#host-on-air").isDisplayed()).isTrue();
        assertThat(host.find("#publish-state").getAttribute("class")).doesNotContain("form-error");

        // Connected, but nothing sent (the camera and microphone taken off the senders): not live.
        host.js("window.__tracks = " + CLIENT + ".pc.getSenders().map((s) => s.track);"
                + CLIENT + ".pc.getSenders().forEach((s) => s.replaceTrack(null));");
        until(host, () -> "false".equals(badge("data-flowing")), "the badge stops saying live when no media flows");
        assertThat(badge("text")).isEqualTo("Phiên đang mở — tín hiệu phát chưa tới máy chủ");
        assertThat(host.js("return " + CLIENT + ".state;")).as("the connection itself is still up").isEqualTo("connected");
        assertThat(host.find("#host-on-air").isDisplayed()).isFalse();
        host.js("const t = window.__tracks; " + CLIENT + ".pc.getSenders().forEach((s, i) => s.replaceTrack(t[i]));");
        until(host, () -> LIVE_VI.equals(badge("text")), "live again once media flows again");
    }

    /** While the client keeps failing, the problem is shown and the badge never says live. */
    private static void expectProblem(String text) {
        until(host, () -> {
            assertThat(badge("text")).as("the badge while the broadcast is failing").isNotEqualTo(LIVE_VI);
            assertThat(host.find("#host-on-air").isDisplayed()).isFalse();
            return host.find("#publish-state").getText().contains(text);
        }, "the broadcast line says: " + text);
        assertThat(host.find("#publish-state").getText()).contains("Đang tự động thử lại");
        assertThat(host.find("#publish-state").getText()).doesNotContain("Đang kết nối");
    }

    @Test
    @Order(2)
    void the_stage_fits_1366x768_a_reload_brings_the_floor_back_and_the_end_stops_camera_floor_and_hands_everywhere() throws Exception {
        List<String> invited = api.communes(3);
        String guest = invited.get(0);
        long id = api.scheduleNow("Phiên thử bàn chủ trì", invited);
        host.open("/host/" + id);
        String hostTab = host.driver.getWindowHandle();
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> LIVE_VI.equals(badge("text")), "the host is live");

        rooms.driver.get(api.joinLink(id, guest));
        until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the room screen receives the program");
        awaitDecoding(rooms, "#program-video", PATIENCE);
        rooms.find("#raise-hand").click();
        // The queue is redrawn on every hand and floor event: find and click in one go, again if it went stale.
        until(host, () -> { host.find("#hand-queue li[data-room='" + guest + "'] button").click(); return true; }, "the host grants the floor");
        until(host, () -> !host.findAll("#revoke-floor").isEmpty(), "the floor is shown given");
        awaitDecoding(host, "#guest-video", PATIENCE);

        // 1366x768: the room speaking, the broadcast controls and the hands without scrolling; "End session" apart.
        host.js("window.scrollTo(0, 0);");
        for (String css : List.of("#guest-video", "#host-preview", "#go-live", "#publish-state", "#host-session-state", "#end-session", "#hand-queue")) {
            ScreenBox box = ScreenBox.of(host, css);
            assertThat(box.inside(1366, 768)).as(css + " inside the 1366x768 viewport: " + box).isTrue();
        }
        ScreenBox goLive = ScreenBox.of(host, "#go-live");
        ScreenBox end = ScreenBox.of(host, "#end-session");
        assertThat(goLive.overlaps(end)).isFalse();
        assertThat(end.distanceTo(goLive)).as("End session is not beside Stop broadcast").isGreaterThan(150);
        assertThat(host.js("return document.getElementById('go-live').parentElement.contains(document.getElementById('end-session'));"))
                .isEqualTo(false);
        assertThat(ScreenBox.of(host, "#guest-video").overlaps(ScreenBox.of(host, "#broadcast"))).isFalse();
        host.screenshotForDocs("host-1366-vi");
        // Ending is confirmed: refused, the session goes on.
        host.js("window.confirm = (m) => { window.__asked = m; return false; };");
        host.find("#end-session").click();
        assertThat((String) host.js("return window.__asked;")).contains("Kết thúc phiên");
        assertThat(badge("data-state")).isEqualTo("LIVE");

        // A second device opens the console: it shows the room on the floor, and does not take the camera slot.
        host.driver.switchTo().newWindow(WindowType.WINDOW);
        String secondTab = host.driver.getWindowHandle();
        host.viewport(1366, 768);
        host.open("/host/" + id);
        awaitDecoding(host, "#guest-video", PATIENCE);
        until(host, () -> "Phiên đang mở — bạn chưa phát".equals(badge("text")), "the second device says it is not sending");
        host.driver.switchTo().window(hostTab);
        assertThat(badge("text")).as("the first device is still on air").isEqualTo(LIVE_VI);

        // The host reloads: the guest is decoded again, the floor untouched, the broadcast resumed.
        host.driver.navigate().refresh();
        until(host, () -> !host.findAll("#room-wall .tile").isEmpty(), "the console is back"); // the wall is redrawn on every event: never hold a tile
        awaitDecoding(host, "#guest-video", PATIENCE);
        until(host, () -> LIVE_VI.equals(badge("text")), "the reloaded console broadcasts again by itself");
        assertThat(api.floor(id).get("floorRoomCode").asText()).isEqualTo(guest);
        assertThat(rooms.find("#room-on-air").isDisplayed()).as("the room kept the floor throughout").isTrue();

        // The session ends: camera, floor and hands end with it on both consoles and on the room screen.
        host.js("window.__cam = document.getElementById('host-preview').srcObject.getTracks();");
        rooms.js("window.__cam = document.getElementById('self-view').srcObject.getTracks();");
        host.js("window.confirm = () => true;");
        host.find("#end-session").click();
        until(rooms, () -> !rooms.findAll("#room-state[data-state='ended']").isEmpty(), "the room screen says the session ended");
        assertThat(rooms.find("#program .overlay").getText()).isEqualTo("Phiên tiếp dân đã kết thúc.");
        assertThat(rooms.find("#raise-hand").isDisplayed()).as("no raise-hand offer after the end").isFalse();
        assertThat(rooms.find("#floor-box").isDisplayed()).isFalse();
        assertThat(rooms.js("return window.__cam.every((t) => t.readyState === 'ended');")).as("the room's camera stopped").isEqualTo(true);
        for (String tab : List.of(hostTab, secondTab)) {
            host.driver.switchTo().window(tab);
            until(host, () -> "ENDED".equals(badge("data-state")), "the console shows the session ended");
            assertThat(host.js("return document.getElementById('host-preview').srcObject;")).isNull();
            assertThat(host.find("#go-live").isDisplayed()).isFalse();
            assertThat(host.findAll("#revoke-floor")).isEmpty();
            assertThat(host.findAll("#guest-video")).isEmpty();
        }
        host.driver.switchTo().window(hostTab);
        assertThat(host.js("return window.__cam.every((t) => t.readyState === 'ended');")).as("the host's camera stopped").isEqualTo(true);
        assertThat(api.floor(id).get("floorRoomCode").isNull()).isTrue();

        // Opened again after the end: no camera, nothing to broadcast, no hand to raise.
        host.driver.navigate().refresh();
        until(host, () -> !host.findAll("#room-wall .tile").isEmpty(), "the console is back"); // the wall is redrawn on every event: never hold a tile
        until(host, () -> "ENDED".equals(badge("data-state")), "the reopened console shows the session ended");
        assertThat(host.js("return document.getElementById('host-preview').srcObject;")).isNull();
        assertThat(host.find("#go-live").isDisplayed()).isFalse();
        rooms.driver.navigate().refresh();
        until(rooms, () -> !rooms.findAll("#room-state[data-state='ended']").isEmpty(), "the reopened room screen shows the session ended");
        assertThat(rooms.find("#raise-hand").isDisplayed()).isFalse();
        assertThat(rooms.find("#program .overlay").getText()).isEqualTo("Phiên tiếp dân đã kết thúc.");
    }

    /** The host console's session badge: its text or an attribute, read in one script (it is redrawn often). */
    private static String badge(String what) {
        return (String) host.js("const b = document.getElementById('host-session-state'); if (!b) return null;"
                + "return arguments[0] === 'text' ? b.textContent : b.getAttribute(arguments[0]);", what);
    }
}
