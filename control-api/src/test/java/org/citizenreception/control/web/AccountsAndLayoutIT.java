package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rough edges a province meets on its first morning, in Chromium against the real server:
 * accounts made in a row keep their role and say they were made; the admin console on a
 * 390-pixel phone keeps the page from scrolling sideways; dates on screen follow the language
 * toggle; and every control's accessible name contains its visible label (WCAG 2.5.3), none is
 * nameless, and every clickable thing is reachable by keyboard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsAndLayoutIT {
    private static final int PHONE_WIDTH = 390;
    private static final int PHONE_HEIGHT = 844;

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static WebFixture fixture;
    static long sessionId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        fixture = new WebFixture(server);
        fixture.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        fixture.createUser("thuky", "Thư ký Lan", "SECRETARY");
        fixture.createUser("diemcau", "Điểm cầu xã", "ROOM_OPERATOR", fixture.rooms.get(1));
        sessionId = fixture.liveSession("Tiếp công dân định kỳ tháng 12", "chutri");
        Map<String, Object> petition = new LinkedHashMap<>();
        petition.put("kind", "COMPLAINT");
        petition.put("originRoomCode", fixture.rooms.get(0));
        petition.put("petitioners", List.of(Map.of("name", "Nguyễn Văn An", "idNumber", "022086001234", "address", "Tổ 3, khu 5, phường Hồng Gai")));
        petition.put("summary", "Khiếu nại việc thu hồi đất làm đường tỉnh 342 chưa bồi thường đủ.");
        fixture.call("POST", "/api/v1/sessions/" + sessionId + "/petitions", fixture.login("thuky", WebFixture.passwordOf("thuky")), petition);
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
    void fresh() {
        browser.open("/signin");
        browser.js("localStorage.clear();");
        browser.open("/signin");
    }

    @AfterEach
    void desktopAgain() {
        browser.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @Test
    @Order(1)
    void two_secretary_accounts_made_in_a_row_keep_the_role_chosen_and_each_is_confirmed() throws Exception {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/users", "#users-table");
        for (String username : List.of("thuky.binh", "thuky.chau")) {
            WebElement form = browser.find("#user-create");
            Select role = new Select(form.findElement(org.openqa.selenium.By.name("role")));
            if (!"SECRETARY".equals(role.getFirstSelectedOption().getAttribute("value"))) {
                role.selectByValue("SECRETARY");
            }
            form.findElement(org.openqa.selenium.By.name("username")).sendKeys(username);
            form.findElement(org.openqa.selenium.By.name("displayName")).sendKeys("Thư ký " + username);
            form.findElement(org.openqa.selenium.By.name("password")).sendKeys(WebFixture.passwordOf(username));
            form.findElement(org.openqa.selenium.By.cssSelector("button[type='submit']")).click();

            browser.waitForText("#user-created", username);
            assertThat(browser.find("#user-created").getText()).isEqualTo("Đã tạo tài khoản " + username);
            browser.waitForText("#users-table", username);
            assertThat(new Select(browser.find("#user-create select[name='role']")).getFirstSelectedOption().getAttribute("value"))
                    .as("the role stays chosen after creating " + username).isEqualTo("SECRETARY");
            assertThat(browser.find("#user-create input[name='username']").getAttribute("value")).isEmpty();
            assertThat(browser.find("#user-create input[name='password']").getAttribute("value")).isEmpty();
        }
        browser.screenshotForDocs("admin-users-created-vi");
        List<String> roles = new ArrayList<>();
        for (JsonNode u : fixture.call("GET", "/api/v1/users", fixture.adminToken, null)) {
            if (u.get("username").asText().startsWith("thuky.")) {
                roles.add(u.get("role").asText());
            }
        }
        assertThat(roles).containsExactly("SECRETARY", "SECRETARY");
    }

    @Test
    @Order(2)
    void on_a_390_pixel_phone_the_admin_console_and_the_top_bar_fit_the_width() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        phone();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/admin/rooms", ".tree");
        pages.put("/admin/users", "#users-table");
        pages.put("/admin/sessions", "#sessions-table");
        pages.put("/admin/attendance/" + sessionId, "#attendance-table");
        pages.put("/admin/petitions", "#petitions-table");
        pages.put("/admin/audit", "table");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            browser.go(page.getKey(), page.getValue());
            String name = "admin-" + page.getKey().split("/")[2] + "-390-vi";
            browser.screenshotForDocs(name);
            assertFitsThePhone(name);
        }
        browser.signOut();
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#register .petition");
        browser.screenshot("secretary-390-vi");
        assertFitsThePhone("secretary-390-vi");
    }

    @Test
    @Order(3)
    void dates_already_on_screen_follow_the_language_toggle() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        for (String[] page : List.of(new String[]{"/admin/sessions", "#sessions-table"}, new String[]{"/admin/petitions", "#petitions-table"})) {
            browser.language("vi");
            browser.go(page[0], page[1]);
            String vietnamese = browser.find(page[1] + " tbody").getText();
            browser.language("en");
            String toggled = browser.find(page[1] + " tbody").getText();
            browser.open(page[0]);
            browser.waitFor(page[1]);
            String loadedInEnglish = browser.find(page[1] + " tbody").getText();
            assertThat(toggled).as(page[0] + " after the toggle reads as if loaded in English").isEqualTo(loadedInEnglish);
            assertThat(vietnamese).as("the dates are written differently in Vietnamese").isNotEqualTo(loadedInEnglish);
            assertThat(browser.findAll(page[1] + " tbody time")).as("dates are marked up as dates").isNotEmpty();
        }
    }

    @Test
    @Order(4)
    void every_control_is_named_by_what_it_shows_and_reachable_by_keyboard() {
        List<String> problems = new ArrayList<>();
        checkPage("/signin", "input[name='username']", problems);
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        for (String[] page : List.of(new String[]{"/", "#home-today"}, new String[]{"/admin/rooms", ".tree"},
                new String[]{"/admin/users", "#users-table"}, new String[]{"/admin/sessions", "#sessions-table"},
                new String[]{"/admin/attendance/" + sessionId, "#attendance-table"}, new String[]{"/admin/petitions", "#petitions-table"},
                new String[]{"/admin/audit", "table"})) {
            checkPage(page[0], page[1], problems);
        }
        browser.signOut();
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        checkPage("/secretary/" + sessionId, "#register .petition", problems);
        browser.signOut();
        browser.signIn("chutri", WebFixture.passwordOf("chutri"));
        checkPage("/host/" + sessionId, "#room-wall .tile", problems);
        browser.signOut();
        browser.signIn("diemcau", WebFixture.passwordOf("diemcau"));
        checkPage("/room/" + sessionId, "#program", problems);
        assertThat(problems).isEmpty();
    }

    /** Checks a page in Vietnamese and again after the toggle to English, without a reload (stale names show there). */
    private static void checkPage(String hash, String ready, List<String> problems) {
        browser.language("vi");
        browser.go(hash, ready);
        problems.addAll(accessibilityProblemsOfOneRender(hash + " (vi)"));
        browser.language("en");
        problems.addAll(accessibilityProblemsOfOneRender(hash + " (en, toggled)"));
        browser.language("vi");
    }

    /**
     * {@link #accessibilityProblems} of a render that stayed in place while it was read: a page that
     * re-renders meanwhile (a live update, the language toggle finishing) replaces the controls being
     * asked for their names, and the new render is checked instead, up to 15 s.
     */
    private static List<String> accessibilityProblemsOfOneRender(String where) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return accessibilityProblems(where);
            } catch (StaleElementReferenceException rerendered) {
                if (System.nanoTime() > deadline) {
                    throw rerendered;
                }
            }
        }
    }

    /**
     * Every visible control: its accessible name (as Chromium computes it) is not empty and contains
     * the words it shows (its text, or its label's for a form field); a symbol alone (✕) shows no
     * words. Everything that looks clickable (pointer cursor) is a control in the tab order or inside one.
     */
    @SuppressWarnings("unchecked")
    private static List<String> accessibilityProblems(String where) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> controls = (List<Map<String, Object>>) browser.js(
                "const words = (n) => { if (!n) return ''; const c = n.cloneNode(true);"
                + "  c.querySelectorAll('[aria-hidden=true]').forEach(x => x.remove()); return c.textContent; };"
                + "const sel = 'button, input:not([type=hidden]), select, textarea, a[href], summary, [role=button], [tabindex]:not([tabindex=\"-1\"])';"
                + "return [...document.querySelectorAll(sel)]"
                + "  .filter(e => e.checkVisibility({ visibilityProperty: true }) && !e.closest('[inert]'))"
                + "  .map(e => { const field = e.matches('input, select, textarea');"
                + "    return { el: e, what: e.outerHTML.slice(0, 120), shown: field ? [...(e.labels || [])].map(words).join(' ') : words(e),"
                + "      focusable: e.tabIndex >= 0 || e.disabled }; });");
        for (Map<String, Object> c : controls) {
            WebElement el = (WebElement) c.get("el");
            String name = normalise(el.getAccessibleName());
            String shown = normalise((String) c.get("shown"));
            if (name.isEmpty()) {
                problems.add(where + ": no accessible name: " + c.get("what"));
            } else if (!shown.isEmpty() && !name.replace(" ", "").contains(shown.replace(" ", ""))) {
                problems.add(where + ": name \"" + name + "\" lacks the visible \"" + shown + "\": " + c.get("what"));
            }
            if (!Boolean.TRUE.equals(c.get("focusable"))) {
                problems.add(where + ": not in the tab order: " + c.get("what"));
            }
        }
        List<String> unreachable = (List<String>) browser.js(
                "const focusable = 'a[href], button, input, select, textarea, summary, label, [tabindex]:not([tabindex=\"-1\"])';"
                + "return [...document.querySelectorAll('body *')]"
                + "  .filter(e => e.checkVisibility({ visibilityProperty: true }) && getComputedStyle(e).cursor === 'pointer' && !e.closest(focusable))"
                + "  .map(e => e.outerHTML.slice(0, 120));");
        unreachable.forEach(u -> problems.add(where + ": clickable but not keyboard reachable: " + u));
        return problems;
    }

    /**
     * Lower case, letters and digits only, single spaces: punctuation and an asterisk are not words a
     * voice user says. Compared without spaces, since textContent joins neighbouring elements where
     * the accessible name puts a space.
     */
    private static String normalise(String text) {
        return text == null ? "" : text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    private static void phone() {
        browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", PHONE_WIDTH, "height", PHONE_HEIGHT, "deviceScaleFactor", 1, "mobile", true));
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(5), Browser.POLL).until(d -> ((Number) browser.js("return window.innerWidth;")).intValue() == PHONE_WIDTH);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the viewport stayed " + browser.js("return [innerWidth, innerHeight, visualViewport.width, document.documentElement.clientWidth];"), e);
        }
    }

    /** The page does not scroll sideways; the top bar's parts are inside the viewport; a wide table scrolls inside its own box. */
    @SuppressWarnings("unchecked")
    private static void assertFitsThePhone(String page) {
        Map<String, Object> m = (Map<String, Object>) browser.js(
                "const w = arguments[0];"
                + "const out = (r) => r.width > 0 && (r.left < -0.5 || r.right > w + 0.5);"
                + "const scrolls = (e) => { for (let b = e.parentElement; b && b !== document.body; b = b.parentElement)"
                + "  if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(b).overflowX)) return true; return false; };"
                + "const wide = [...document.querySelectorAll('body *')].filter(e => out(e.getBoundingClientRect()) && !scrolls(e))"
                + "  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));"
                + "const bar = [...document.querySelectorAll('#topbar .brand, #topbar .nav a, #topbar .who > *, #topbar button:not([hidden])')]"
                + "  .filter(e => out(e.getBoundingClientRect())).map(e => e.id || e.className || e.textContent);"
                + "const tables = [...document.querySelectorAll('main table')].filter(t => {"
                + "  let box = t.parentElement; while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;"
                + "  return out((box || t).getBoundingClientRect()); }).map(t => t.id || t.className);"
                + "return { width: innerWidth, scrollWidth: document.scrollingElement.scrollWidth, bar, tables, wide };", PHONE_WIDTH);
        // A phone widens its layout viewport to fit what overflows: a wider innerWidth is itself the overflow.
        assertThat(((Number) m.get("scrollWidth")).intValue()).as(page + ": the page does not scroll sideways; too wide: " + m.get("wide"))
                .isLessThanOrEqualTo(PHONE_WIDTH);
        assertThat(((Number) m.get("width")).intValue()).as(page + ": the viewport stays the phone's; too wide: " + m.get("wide")).isEqualTo(PHONE_WIDTH);
        assertThat((List<Object>) m.get("bar")).as(page + ": top bar parts outside the screen").isEmpty();
        assertThat((List<Object>) m.get("tables")).as(page + ": tables whose scroll box leaves the screen").isEmpty();
    }
}
