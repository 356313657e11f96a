package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.pause;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;

/**
 * The room (TV) screen as a commune hall lives it, in Chromium with real media through the bridge:
 * the room's name in type read from the back of the hall, a focus ring only for the keyboard; the
 * host's page gone and the screen saying "signal lost" within 3 s, then picking the program up by
 * itself when the host is back; the room on the floor with a banner, its own picture and no
 * raise-hand offer; and at phone width the guest inset clear of its caption.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomScreenIT {
    private static final Duration PATIENCE = LiveMedia.PATIENCE;

    @TempDir
    static Path dir;
    static WebServer server;
    static ReceptionApi api;
    static Browser host;
    static Browser rooms;
    static long id;
    static String watching;
    static String speaking;
    static String watchingTab;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        api = new ReceptionApi(server);
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        List<String> invited = api.communes(3);
        watching = invited.get(0);
        speaking = invited.get(1);
        id = api.scheduleNow("Phiên thử màn hình điểm cầu", invited);
        host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10);
        rooms = new Browser(server.baseUrl(), dir.resolve("room-profile"), 10, smallCameraPicture(dir.resolve("camera.y4m")));
        host.signIn("chutri", ReceptionApi.password("chutri"));
        host.open("/host/" + id);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host's media flows");
        rooms.driver.get(api.joinLink(id, watching));
        watchingTab = rooms.driver.getWindowHandle();
        until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the room screen shows the program");
        awaitDecoding(rooms, "#program-video", PATIENCE);
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
    void the_screen_names_its_room_in_the_largest_type_and_shows_a_focus_ring_only_for_the_keyboard() throws Exception {
        assertThat(rooms.find("#room-name").getText()).isEqualTo(api.roomName(watching));
        double nameSize = fontSize("#room-name");
        assertThat(nameSize).as("room name in px, read from the back of a hall").isGreaterThanOrEqualTo(48);
        assertThat(nameSize).as("larger than the session title").isGreaterThan(fontSize("#main h1"));
        assertThat(ring()).as("no ring on whatever the page focused by itself").isFalse();
        rooms.find("#audio-only").click();
        until(rooms, () -> Boolean.TRUE.equals(rooms.js("const c = document.getElementById('program').mediaClient;"
                + "return c.opts.audioOnly && c.state === 'connected';")), "sound only");
        assertThat(ring()).as("no ring on a button pressed with the pointer").isFalse();
        rooms.find("#audio-only").click();
        until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "video again");
        new Actions(rooms.driver).sendKeys(Keys.TAB).perform();
        assertThat(ring()).as("a ring on what the keyboard (a TV remote) reached").isTrue();
        rooms.js("document.activeElement.blur(); window.scrollTo(0, 0);");
        rooms.screenshotForDocs("room-tv-vi");
    }

    @Test
    @Order(2)
    void the_host_page_gone_is_signal_lost_within_3_s_and_the_program_comes_back_by_itself() throws Exception {
        rooms.driver.switchTo().window(watchingTab);
        awaitDecoding(rooms, "#program-video", PATIENCE);
        rooms.js("window.__sameLoad = true;");
        long t0 = System.nanoTime();
        host.driver.get("about:blank");
        long lostMillis = -1;
        while (System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
            if (!rooms.findAll("#room-state[data-state='signal-lost']").isEmpty()) {
                lostMillis = (System.nanoTime() - t0) / 1_000_000;
                break;
            }
            pause(100);
        }
        System.out.printf("RoomScreenIT: signal lost shown %d ms after the host's page went%n", lostMillis);
        assertThat(lostMillis).as("the screen says the signal is lost").isNotNegative();
        assertThat(lostMillis).as("within 3 s").isLessThanOrEqualTo(3000);
        assertThat(rooms.find("#program .overlay").getText()).startsWith("Mất tín hiệu từ điểm cầu chính");
        assertThat(rooms.find("#room-state").getText()).isEqualTo("Mất tín hiệu");
        rooms.screenshotForDocs("room-signal-lost-vi");

        // The host comes back in the same tab: the console resumes the broadcast, the room picks it up.
        long back = System.nanoTime();
        host.open("/host/" + id);
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host broadcasts again");
        until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the room shows the program again");
        awaitDecoding(rooms, "#program-video", PATIENCE);
        System.out.printf("RoomScreenIT: program decoded again %d ms after the host's console was reopened%n",
                (System.nanoTime() - back) / 1_000_000);
        assertThat(rooms.js("return window.__sameLoad === true;")).as("without reloading the room screen").isEqualTo(true);
        assertThat(rooms.find("#program .overlay").isDisplayed()).isFalse();
    }

    @Test
    @Order(3)
    void the_room_on_the_floor_sees_a_banner_and_its_own_picture_and_is_not_offered_the_hand() throws Exception {
        rooms.driver.switchTo().newWindow(WindowType.TAB);
        rooms.driver.get(api.joinLink(id, speaking));
        until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the second room shows the program");
        rooms.find("#raise-hand").click();
        // The queue is redrawn on every hand and floor event: find and click in one go, again if it went stale.
        until(host, () -> { host.find("#hand-queue li[data-room='" + speaking + "'] button").click(); return true; }, "the host grants the floor");
        until(rooms, () -> rooms.find("#floor-banner").isDisplayed() && rooms.find("#room-on-air").isDisplayed(), "the room knows it has the floor");
        assertThat(rooms.find("#floor-banner").getText()).startsWith("Điểm cầu của bạn đang phát biểu");
        assertThat(rooms.find("#raise-hand").isDisplayed()).as("no raise-hand offer while it holds the floor").isFalse();
        rooms.js("window.__t = document.getElementById('self-view').currentTime;");
        until(rooms, () -> Boolean.TRUE.equals(rooms.js("const v = document.getElementById('self-view');"
                + "return v.videoWidth > 0 && !v.paused && v.currentTime > window.__t + 0.5;")), "the self-view plays what the room sends");
        new Actions(rooms.driver).sendKeys("h").perform();
        assertThat(rooms.find("#hand-note").getText()).isEmpty();
        assertThat(api.floor(id).get("queue")).as("the H shortcut raises no hand either").isEmpty();
        rooms.screenshotForDocs("room-onfloor-vi");
        awaitDecoding(host, "#guest-video", PATIENCE);
    }

    @Test
    @Order(4)
    void at_phone_width_the_guest_inset_is_clear_of_its_caption_and_inside_the_screen() {
        rooms.driver.switchTo().window(watchingTab);
        rooms.viewport(390, 844);
        try {
            until(rooms, () -> rooms.find(".guest-inset").isDisplayed(), "the guest inset is shown");
            awaitDecoding(rooms, "#guest-video", PATIENCE);
            rooms.js("document.querySelector('.guest-inset').scrollIntoView({ block: 'center' });");
            assertThat((Long) rooms.js("return document.documentElement.scrollWidth;")).as("no sideways scrolling").isLessThanOrEqualTo(390);
            ScreenBox inset = ScreenBox.of(rooms, "#guest-video");
            ScreenBox caption = ScreenBox.of(rooms, ".guest-inset .guest-name");
            ScreenBox program = ScreenBox.of(rooms, "#program-video");
            assertThat(inset.inside(390, 844)).as("inset inside the screen: " + inset).isTrue();
            assertThat(caption.inside(390, 844)).as("caption inside the screen: " + caption).isTrue();
            assertThat(inset.overlaps(caption)).as("the caption does not cover the inset: " + inset + " " + caption).isFalse();
            assertThat(inset.overlaps(program)).as("the inset does not cover the program: " + inset + " " + program).isFalse();
            if (rooms.find("#program .overlay").isDisplayed()) {
                assertThat(ScreenBox.of(rooms, "#program .overlay").overlaps(inset)).isFalse();
            }
            rooms.screenshotForDocs("room-390-vi");
        } finally {
            rooms.defaultViewport();
        }
    }

    @Test
    @Order(5)
    void a_join_link_the_server_refuses_is_explained_on_the_screen_and_retried_never_left_connecting() {
        rooms.driver.switchTo().newWindow(WindowType.TAB);
        rooms.driver.get(server.baseUrl() + "?refused=1#/join/" + id + "?room=" + watching + "&token=not-a-join-token");
        until(rooms, () -> !rooms.findAll("#room-state[data-state='failed']").isEmpty(), "the screen says the connection failed");
        assertThat(rooms.find("#room-state").getText()).isEqualTo("Kết nối thất bại");
        assertThat(rooms.find("#program .overlay").getText())
                .contains("đường dẫn tham gia đã hết hạn hay bị thu hồi (HTTP 401)").contains("Đang tự động thử lại");
        rooms.screenshotForDocs("room-refused-vi");
        rooms.language("en");
        assertThat(rooms.find("#program .overlay").getText()).contains("the join link has expired or was revoked (HTTP 401)");
        rooms.language("vi");
        rooms.driver.close();
        rooms.driver.switchTo().window(watchingTab);
    }

    private static double fontSize(String css) {
        return Double.parseDouble(((String) rooms.js("return getComputedStyle(document.querySelector(arguments[0])).fontSize;", css)).replace("px", ""));
    }

    /** Whether the focused element draws a focus ring (an outline or the ring's shadow). */
    private static boolean ring() {
        return Boolean.TRUE.equals(rooms.js("const e = document.activeElement; if (!e || e === document.body) return false;"
                + "const s = getComputedStyle(e);"
                + "return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';"));
    }
}
