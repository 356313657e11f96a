package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The web client in headless Chromium against the real server: sign-in errors in the user's
 * language beside the field, the language toggle, the room directory import with per-line errors,
 * and a screenshot of each console in Vietnamese and English.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static String adminToken;
    static String roomCode;
    static String hostRoomCode;
    static List<String> invited = new ArrayList<>();
    static long sessionId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        adminToken = api("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD)).get("token").asText();
        for (JsonNode room : api("GET", "/api/v1/rooms", adminToken, null)) {
            String level = room.get("level").asText();
            if ("PROVINCE".equals(level) && hostRoomCode == null) {
                hostRoomCode = room.get("code").asText();
            } else if (!"PROVINCE".equals(level) && invited.size() < 5 && room.get("validTo").isNull()) {
                invited.add(room.get("code").asText());
            }
        }
        roomCode = invited.get(1);
        createUser("chutri", "Chủ tịch UBND tỉnh", "HOST", null);
        createUser("thuky", "Thư ký Lan", "SECRETARY", null);
        createUser("thuky2", "Thư ký Minh", "SECRETARY", null);
        createUser("diemcau", "Điểm cầu xã", "ROOM_OPERATOR", roomCode);

        // A live session for 5 rooms, as an administrator schedules it and the host starts it.
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("title", "Tiếp công dân định kỳ tháng 11");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        session.put("scheduledStart", start.toString());
        session.put("scheduledEnd", start.plus(3, ChronoUnit.HOURS).toString());
        session.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        session.put("hostRoomCode", hostRoomCode);
        session.put("invitation", Map.of("type", "LIST", "rooms", invited));
        sessionId = api("POST", "/api/v1/sessions", adminToken, session).get("id").asLong();
        String hostToken = api("POST", "/api/v1/auth/login", null, Map.of("username", "chutri", "password", passwordOf("chutri"))).get("token").asText();
        api("POST", "/api/v1/sessions/" + sessionId + "/state", hostToken, Map.of("state", "LIVE"));
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

    /** Every test starts signed out, in Vietnamese (the default), with no drafts left by another. */
    @BeforeEach
    void fresh() {
        browser.open("/signin");
        browser.js("localStorage.clear();");
        browser.open("/signin");
    }

    @Test
    @Order(1)
    void a_wrong_password_is_reported_beside_the_password_in_the_users_language() {
        browser.find("input[name='username']").sendKeys("admin");
        browser.find("input[name='password']").sendKeys("not-the-password");
        browser.find("form button[type='submit']").click();

        browser.waitForText("[data-field='password'] .field-error", "Tên đăng nhập hoặc mật khẩu không đúng");
        assertThat(browser.find("input[name='password']").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("input[name='username']").getAttribute("value")).isEqualTo("admin");
        assertThat(browser.find("main").getText()).doesNotContain("{").doesNotContain("Unauthorized");
        browser.screenshotForDocs("signin-error-vi");

        browser.language("en");
        browser.waitForText("[data-field='password'] .field-error", "Wrong username or password");
        assertThat(browser.find("h1").getText()).isEqualTo("Sign in");
        assertThat(browser.find("input[name='username']").getAttribute("value")).as("typed text survives the switch").isEqualTo("admin");
        browser.screenshotForDocs("signin-error-en");
    }

    @Test
    @Order(2)
    void the_language_toggle_switches_every_string_and_is_remembered() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.waitForText("h1", "Xin chào");
        assertThat(browser.find("#nav").getText()).contains("Trang chủ", "Quản trị");
        assertThat(browser.find("main").getText()).contains("Điểm cầu", "Người dùng", "Hôm nay");
        assertThat(browser.find("#lang-toggle").getText()).isEqualTo("English");

        browser.language("en");
        browser.waitForText("h1", "Hello");
        assertThat(browser.find("#nav").getText()).contains("Home", "Administration").doesNotContain("Quản trị");
        assertThat(browser.find("main").getText()).contains("Rooms", "Users", "Today").doesNotContain("Điểm cầu");
        assertThat(browser.find("#signout").getText()).isEqualTo("Sign out");
        assertThat(browser.find("#lang-toggle").getText()).isEqualTo("Tiếng Việt");

        browser.open("/");
        browser.waitForText("h1", "Hello");
        assertThat(browser.js("return document.documentElement.lang;")).as("remembered across a reload").isEqualTo("en");
    }

    @Test
    @Order(3)
    void an_admin_importing_a_bad_csv_sees_each_error_at_its_line_and_nothing_changes() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/rooms", ".tree");
        browser.waitForText("#main", "55 điểm cầu");
        String csv = String.join("\n",
                "code,name,level,parent_code,valid_from,valid_to",
                "QN,Tỉnh Quảng Ninh,PROVINCE,,,",
                "X1,Xã Một,VILLAGE,QN,,",
                "X2,Xã Hai,COMMUNE,QN,2025-13-01,",
                "X3,Xã Ba,COMMUNE,QN,,");
        browser.js("const t = document.getElementById('csv-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));", csv);
        browser.find("#csv-import").click();

        browser.waitFor("#csv-errors");
        List<WebElement> rows = browser.findAll("#csv-errors tbody tr");
        List<String> lines = rows.stream().map(r -> r.getAttribute("data-line")).toList();
        assertThat(lines).contains("3", "4");
        String table = browser.find("#csv-errors").getText();
        assertThat(table).contains("Dòng 3", "Dòng 4", "X1,Xã Một,VILLAGE,QN,,");
        assertThat(table).contains("Cấp hành chính không hợp lệ");
        browser.js("document.getElementById('csv-errors').scrollIntoView({block: 'center'});");
        browser.screenshotForDocs("admin-rooms-import-errors-vi");

        browser.open("/admin/rooms");
        browser.waitForText("#main", "55 điểm cầu");
    }

    @Test
    @Order(4)
    void a_petition_registered_by_one_secretary_appears_live_on_another_secretarys_register() {
        // Two origins (127.0.0.1 and localhost) keep two sign-ins apart in one browser.
        String first = browser.driver.getWindowHandle();
        browser.signIn("thuky", passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        browser.waitFor("#live-state.connected");

        browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        String second = browser.driver.getWindowHandle();
        browser.driver.get(server.baseUrl().replace("127.0.0.1", "localhost") + "?load=other#/signin");
        browser.waitFor("body[data-ready='true']");
        browser.find("input[name='username']").sendKeys("thuky2");
        browser.find("input[name='password']").sendKeys(passwordOf("thuky2"));
        browser.find("form button[type='submit']").click();
        browser.waitFor("#home-today");
        browser.go("/secretary/" + sessionId, "#petition-form");
        browser.waitFor("#live-state.connected");
        int before = browser.findAll("#register .petition").size();

        browser.driver.switchTo().window(first);
        WebElement form = browser.find("#petition-form");
        form.findElement(org.openqa.selenium.By.cssSelector("input[name='p0.name']")).sendKeys("Nguyễn Văn An");
        form.findElement(org.openqa.selenium.By.cssSelector("input[name='p0.idNumber']")).sendKeys("022086001234");
        form.findElement(org.openqa.selenium.By.cssSelector("input[name='p0.address']")).sendKeys("Tổ 3, khu 5, phường Hồng Gai, Hạ Long");
        new org.openqa.selenium.support.ui.Select(form.findElement(org.openqa.selenium.By.name("originRoomCode"))).selectByValue(roomCode);
        WebElement summary = form.findElement(org.openqa.selenium.By.name("summary"));
        summary.sendKeys("Khiếu nại việc thu hồi đất làm đường tỉnh 342 chưa bồi thường đủ diện tích vườn.");
        form.findElement(org.openqa.selenium.By.name("requests")).sendKeys("Đề nghị đo đạc lại và bồi thường phần còn thiếu.");
        summary.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, org.openqa.selenium.Keys.ENTER));
        browser.waitForText("#register", "tỉnh 342");
        assertThat(browser.find("#register .petition .deadline").getText()).as("the server's computed deadline").containsPattern("\\d{4}");
        // The register shows the petition from the live event, which can come before the save's answer clears the form.
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(15), Browser.POLL)
                .withMessage("the form is cleared after saving")
                .until(d -> "".equals(browser.find("textarea[name='summary']").getAttribute("value")));

        browser.driver.switchTo().window(second);
        browser.waitForText("#register", "tỉnh 342");
        assertThat(browser.findAll("#register .petition")).hasSize(before + 1);
        assertThat(browser.find("#register .petition").getText()).contains("Nguyễn");
        browser.driver.close();
        browser.driver.switchTo().window(first);
    }

    @Test
    @Order(5)
    void two_secretaries_editing_the_same_petition_see_both_versions_and_merge() {
        String first = browser.driver.getWindowHandle();
        browser.signIn("thuky", passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#register .petition");
        browser.find("#register .petition .actions .btn-quiet").click();
        WebElement mine = browser.waitFor("#petition-edit textarea[name='summary']");
        mine.clear();
        mine.sendKeys("Khiếu nại việc thu hồi đất làm đường tỉnh 342: thiếu 120 m² đất vườn.");

        browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        browser.driver.get(server.baseUrl().replace("127.0.0.1", "localhost") + "?load=merge#/signin");
        browser.waitFor("body[data-ready='true']");
        browser.js("localStorage.clear();");
        browser.driver.navigate().refresh();
        browser.waitFor("input[name='username']").sendKeys("thuky2");
        browser.find("input[name='password']").sendKeys(passwordOf("thuky2"));
        browser.find("form button[type='submit']").click();
        browser.waitFor("#home-today");
        browser.go("/secretary/" + sessionId, "#register .petition");
        browser.find("#register .petition .actions .btn-quiet").click();
        WebElement handler = browser.waitFor("#petition-edit input[name='handlerAgency']");
        handler.sendKeys("Sở Tài nguyên và Môi trường");
        browser.find("#petition-edit button[type='submit']").click();
        browser.waitForText("#register .petition", "Sở Tài nguyên");
        browser.driver.close();

        browser.driver.switchTo().window(first);
        browser.find("#petition-edit button[type='submit']").click();
        browser.waitFor("#petition-edit .merge-table");
        String merge = browser.find("#petition-edit .merge-table").getText();
        assertThat(merge).contains("thiếu 120 m²", "Sở Tài nguyên");
        browser.screenshotForDocs("secretary-merge-vi");
        // Three-way default: my summary (I changed it), their handling agency (I did not touch it).
        assertThat(browser.find("#petition-edit tr[data-field='summary'] input[value='mine']").isSelected()).isTrue();
        assertThat(browser.find("#petition-edit tr[data-field='handlerAgency'] input[value='theirs']").isSelected()).isTrue();
        browser.find("#petition-edit button[type='submit']").click();
        browser.waitForText("#register .petition", "thiếu 120 m²");
        assertThat(browser.find("#register .petition").getText()).contains("Sở Tài nguyên và Môi trường");
    }

    @Test
    @Order(6)
    void a_join_link_made_by_the_host_opens_the_room_screen_which_raises_a_hand_the_host_sees() {
        String first = browser.driver.getWindowHandle();
        String joinRoom = invited.get(3);
        browser.signIn("chutri", passwordOf("chutri"));
        browser.go("/host/" + sessionId, "#room-wall .tile");
        browser.find("#room-wall .tile[data-room='" + joinRoom + "']").click();
        browser.waitFor("#tile-dialog").findElement(org.openqa.selenium.By.xpath(".//button[contains(@class,'btn-secondary')]")).click();
        String link = browser.waitFor("#join-link-url").getAttribute("value");
        assertThat(link).contains("#/join/" + sessionId, "token=");
        browser.find("#tile-dialog .btn-quiet:last-of-type").click();

        browser.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        browser.driver.get(link.replace("127.0.0.1", "localhost"));
        browser.waitFor("#program");
        browser.waitForText("h1", "Tiếp công dân định kỳ tháng 11");
        browser.find("#raise-hand").click();
        browser.waitForText("#hand-note", "Đã gửi yêu cầu phát biểu");
        // Who is present, as the room operator records it on the TV screen.
        browser.find("#presence-form input[name='officialName']").sendKeys("Trần Văn Bình");
        browser.find("#presence-form input[name='officialTitle']").sendKeys("Chủ tịch UBND xã");
        browser.find("#presence-form button.btn-secondary").click();
        browser.waitForText("#officials", "Trần Văn Bình");
        WebElement citizens = browser.find("#presence-form input[name='citizens']");
        citizens.clear();
        citizens.sendKeys("12");
        browser.find("#presence-form button[type='submit']").click();
        browser.waitForText("#presence-note", "Đã gửi điểm danh");
        browser.driver.close();

        browser.driver.switchTo().window(first);
        browser.waitFor("#hand-queue li[data-room='" + joinRoom + "']");
    }

    @Test
    @Order(7)
    void every_console_is_captured_in_vietnamese_and_english() {
        for (String lang : List.of("vi", "en")) {
            browser.open("/signin");
            browser.js("localStorage.clear(); localStorage.setItem('crl.lang', arguments[0]);", lang);
            browser.open("/signin");
            browser.screenshot("signin-" + lang);

            browser.signIn("admin", WebServer.ADMIN_PASSWORD);
            browser.screenshot("home-admin-" + lang);
            browser.go("/admin/rooms", ".tree");
            browser.waitFor(".tree details");
            browser.screenshot("admin-rooms-" + lang);
            browser.go("/admin/users", "#users-table");
            browser.screenshotForDocs("admin-users-" + lang);
            browser.go("/admin/sessions", "#session-form");
            browser.js("const f = document.getElementById('session-form');"
                    + "f.elements.scheduledStart.value = '2026-12-15T08:00'; f.elements.scheduledEnd.value = '2026-12-15T11:30';"
                    + "f.elements.repeat.value = 'MONTHLY_DAY'; f.dispatchEvent(new Event('change'));"
                    + "f.querySelector('.notice').scrollIntoView({ block: 'center' });");
            browser.screenshotForDocs("admin-sessions-" + lang);
            browser.go("/admin/attendance/" + sessionId, "#attendance-table");
            assertThat(browser.find("#attendance-table").getText()).contains("Trần Văn Bình (Chủ tịch UBND xã)", "12");
            browser.screenshotForDocs("admin-attendance-" + lang);
            browser.go("/admin/petitions", "form[role='search']");
            browser.waitFor("#petitions-table");
            browser.screenshot("admin-petitions-" + lang);
            browser.signOut();

            browser.signIn("thuky", passwordOf("thuky"));
            browser.screenshot("home-secretary-" + lang);
            browser.go("/secretary/" + sessionId, "#petition-form");
            browser.waitFor("#register .petition");
            browser.screenshotForDocs("secretary-" + lang);
            browser.signOut();

            browser.signIn("diemcau", passwordOf("diemcau"));
            browser.go("/room/" + sessionId, "#program");
            if ("vi".equals(lang)) {
                browser.find("#raise-hand").click();
                browser.waitForText("#hand-note", "Đã gửi yêu cầu phát biểu");
            }
            browser.screenshotForDocs("room-" + lang);
            assertThat(browser.js("return document.body.classList.contains('tv');")).isEqualTo(true);
            browser.signOut();

            browser.signIn("chutri", passwordOf("chutri"));
            browser.go("/host/" + sessionId, "#room-wall .tile");
            browser.waitFor("#hand-queue button.btn-ok");
            browser.screenshotForDocs("host-" + lang);
            browser.signOut();
        }
    }

    @Test
    @Order(8)
    void nothing_typed_is_lost_when_the_network_fails_while_saving() {
        browser.signIn("thuky", passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        browser.find("input[name='p0.name']").sendKeys("Lê Thị Hoa");
        browser.find("input[name='p0.address']").sendKeys("Khu 4, phường Cao Xanh");
        WebElement summary = browser.find("textarea[name='summary']");
        summary.sendKeys("Phản ánh việc chậm cấp giấy chứng nhận quyền sử dụng đất.");
        // The network goes away: every request fails before reaching the server.
        browser.js("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));");
        summary.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, org.openqa.selenium.Keys.ENTER));
        browser.waitForText("#net-banner", "máy chủ");
        browser.waitForText("#petition-form .form-error", "Không kết nối được máy chủ");
        assertThat(browser.find("textarea[name='summary']").getAttribute("value")).contains("chậm cấp giấy chứng nhận");
        assertThat(browser.find("#draft-note").getText()).containsIgnoringCase("bản nháp");

        // Even a reload keeps it: the draft comes back from this computer's storage.
        browser.open("/secretary/" + sessionId);
        browser.waitFor("#petition-form");
        browser.waitForText("#draft-note", "Đã khôi phục bản nháp");
        assertThat(browser.find("textarea[name='summary']").getAttribute("value")).contains("chậm cấp giấy chứng nhận");
        assertThat(browser.find("input[name='p0.name']").getAttribute("value")).isEqualTo("Lê Thị Hoa");
    }

    @Test
    @Order(9)
    void an_admin_schedules_a_monthly_reception_and_its_sessions_are_generated() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/sessions", "#session-form");
        java.time.LocalDate first = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).plusDays(1);
        browser.js("const f = document.getElementById('session-form');"
                + "f.elements.title.value = 'Tiếp công dân định kỳ ngày 15';"
                + "f.elements.scheduledStart.value = arguments[0] + 'T07:30'; f.elements.scheduledEnd.value = arguments[0] + 'T11:30';"
                + "f.elements.repeat.value = 'MONTHLY_DAY'; f.elements.monthDay.value = '15'; f.elements.until.value = arguments[1];"
                + "f.dispatchEvent(new Event('change'));", first.toString(), first.plusMonths(2).toString());
        String preview = browser.find("#session-form .notice").getText();
        assertThat(preview).contains("Các buổi tiếp theo").contains("07:30");
        browser.find("#session-form button[type='submit']").click();
        browser.waitForText("#schedules-list", "Tiếp công dân định kỳ ngày 15");
        assertThat(browser.find("#schedules-list").getText()).contains("ngày 15 hằng tháng", "07:30");
        long generated = browser.findAll("#sessions-table tbody tr").stream()
                .filter(r -> r.getText().contains("Tiếp công dân định kỳ ngày 15")).count();
        assertThat(generated).as("sessions generated up to the schedule's horizon").isGreaterThanOrEqualTo(1);
        assertThat(browser.find("#sessions-table").getText()).contains("định kỳ");
    }

    static String passwordOf(String username) {
        return username + "-mat-khau-2026";
    }

    private static void createUser(String username, String displayName, String role, String room) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", displayName);
        body.put("role", role);
        if (room != null) {
            body.put("roomCode", room);
        }
        body.put("password", passwordOf(username));
        api("POST", "/api/v1/users", adminToken, body);
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
