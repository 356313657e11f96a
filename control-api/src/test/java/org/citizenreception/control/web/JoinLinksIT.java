package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The join-link sheet and the schedule form in Chromium against the real server: the session's
 * host opens the sheet from the room wall, issues every room's link in one step, reads a QR code
 * off the screen (decoded from the pixels with ZXing), prints eight rooms to a page, downloads the
 * CSV (a room name that looks like a formula stays text), copies, re-issues and revokes one
 * room's link; the administrator books a session with the room picker's search, tier selection and
 * count, sees the confirmation and a cleared form.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JoinLinksIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static String adminToken;
    static long hostId;
    static long sessionId;
    static final List<String> invited = new ArrayList<>();
    static String formulaRoom;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        adminToken = api("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD)).get("token").asText();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", "chutri");
        user.put("displayName", "Chủ tịch UBND tỉnh");
        user.put("role", "HOST");
        user.put("password", password("chutri"));
        hostId = api("POST", "/api/v1/users", adminToken, user).get("id").asLong();
        // A room whose imported name starts like a spreadsheet formula.
        formulaRoom = "QN25-TEST-FORMULA";
        api("POST", "/api/v1/rooms", adminToken, Map.of("code", formulaRoom, "name", "=HYPERLINK(\"http://x\";\"Xã\")", "level", "COMMUNE",
                "parentCode", "QN-VP"));
        int communes = 0;
        int wards = 0;
        for (JsonNode room : api("GET", "/api/v1/rooms", adminToken, null)) {
            String level = room.get("level").asText();
            if ("COMMUNE".equals(level) && communes < 3 && !formulaRoom.equals(room.get("code").asText())) {
                invited.add(room.get("code").asText());
                communes++;
            } else if ("WARD".equals(level) && wards < 7) {
                invited.add(room.get("code").asText());
                wards++;
            }
        }
        invited.add(formulaRoom);
        Instant startAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("title", "Tiếp công dân định kỳ tháng 12");
        session.put("scheduledStart", startAt.toString());
        session.put("scheduledEnd", startAt.plus(3, ChronoUnit.HOURS).toString());
        session.put("presidingUserId", hostId);
        session.put("hostRoomCode", "QN-VP");
        session.put("invitation", Map.of("type", "LIST", "rooms", invited));
        sessionId = api("POST", "/api/v1/sessions", adminToken, session).get("id").asLong();
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
    @Order(1)
    void the_host_issues_every_rooms_link_in_one_step_and_hands_them_out_printed_and_as_csv() throws Exception {
        browser.signIn("chutri", password("chutri"));
        browser.go("/host/" + sessionId, "#host-join-links");
        browser.find("#host-join-links").click();
        browser.waitForText("#jl-issue-all", "Cấp đường dẫn cho cả 11 điểm cầu");
        assertThat(browser.findAll("#jl-sheet .jl-card")).hasSize(11);
        assertThat(browser.findAll("#jl-sheet .jl-qr")).as("no link before the step").isEmpty();

        browser.find("#jl-issue-all").click();
        browser.waitForText("#links-result", "Đã cấp 11 đường dẫn");
        until(() -> browser.findAll("#jl-sheet .jl-qr").size() == 11, "a QR code on every room's card");
        List<String> tiers = new ArrayList<>();
        for (WebElement card : browser.findAll("#jl-sheet .jl-card")) {
            tiers.add(card.findElement(org.openqa.selenium.By.cssSelector(".jl-tier")).getText());
        }
        assertThat(tiers).as("room, tier, link and QR per card, tier by tier: the 4 communes, then the 7 wards")
                .containsExactly("Xã", "Xã", "Xã", "Xã", "Phường", "Phường", "Phường", "Phường", "Phường", "Phường", "Phường");

        // A phone reads the code off the screen: decode the rendered pixels, then follow the link's token.
        WebElement firstCard = browser.find("#jl-sheet .jl-card");
        String room = firstCard.getAttribute("data-room");
        String url = firstCard.findElement(org.openqa.selenium.By.cssSelector(".jl-url")).getAttribute("value");
        String scanned = scan(firstCard.findElement(org.openqa.selenium.By.cssSelector(".jl-qr")));
        assertThat(scanned).isEqualTo(url).startsWith(server.baseUrl() + "#/join/" + sessionId + "?room=" + room + "&token=rj_");
        assertThat(status("GET", "/api/v1/sessions/" + sessionId, tokenOf(url))).isEqualTo(200);

        JsonNode audit = api("GET", "/api/v1/audit?action=session.join_token.issue_all", adminToken, null).get("entries");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("actorUsername").asText()).isEqualTo("chutri");
        assertThat(audit.get(0).get("detail").toString()).contains("\"count\":11");

        browser.screenshotForDocs("join-links-sheet-vi");
        browser.language("en");
        browser.waitForText(".jl-heading h1", "Join links for every room");
        browser.screenshotForDocs("join-links-sheet-en");
        browser.language("vi");

        // Print: eight rooms to an A4 page, the buttons left out.
        Map<String, Object> pdf = browser.driver.executeCdpCommand("Page.printToPDF", Map.of("printBackground", false, "preferCSSPageSize", true));
        byte[] pdfBytes = Base64.getDecoder().decode((String) pdf.get("data"));
        Files.write(Files.createDirectories(Path.of("target", "screenshots")).resolve("join-links-print.pdf"), pdfBytes);
        String pdfText = new String(pdfBytes, StandardCharsets.ISO_8859_1);
        assertThat(pdfText.split("/Type /Page\\b(?!s)", -1).length - 1).as("11 rooms on A4 pages of 8").isEqualTo(2);
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        assertThat(browser.find("#jl-issue-all").isDisplayed()).isFalse();
        assertThat(browser.js("return getComputedStyle(document.querySelector('#jl-sheet .jl-card:nth-child(8)')).breakAfter;")).isEqualTo("page");
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));

        // The CSV, downloaded as a file: a line per room, the formula-looking name neutralised.
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        browser.find("#jl-csv").click();
        Path csvFile = Downloads.awaitComplete(downloads, ".csv", java.time.Duration.ofSeconds(20));
        assertThat(csvFile.getFileName().toString()).isEqualTo("join-links-session-" + sessionId + ".csv");
        String csv = Files.readString(csvFile, StandardCharsets.UTF_8);
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("\uFEFFĐiểm cầu,Cấp,Mã điểm cầu,Đường dẫn,Hiệu lực đến");
        assertThat(lines).hasSize(12);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\"'=HYPERLINK(\"\"http://x\"\";\"\"Xã\"\")\",Xã," + formulaRoom + ","
                + server.baseUrl() + "#/join/" + sessionId + "?room=" + formulaRoom + "&token=rj_"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("," + room + "," + url + ","));
        assertThat(lines.stream().skip(1).noneMatch(l -> l.matches("^[=+\\-@\\t\\r].*"))).isTrue();

        // Copy gives a visible confirmation.
        WebElement copy = browser.find("#jl-sheet .jl-card[data-room='" + room + "'] .jl-copy");
        copy.click();
        browser.waitForText("#links-result", "Đã sao chép đường dẫn của");
        assertThat(copy.getText()).isEqualTo("Đã sao chép ✓");

        // Re-issue one room: its old link stops, the new one works, another room's stays.
        String other = browser.findAll("#jl-sheet .jl-card").get(1).getAttribute("data-room");
        String otherUrl = browser.find("#jl-sheet .jl-card[data-room='" + other + "'] .jl-url").getAttribute("value");
        browser.find("#jl-sheet .jl-card[data-room='" + room + "'] .jl-reissue").click();
        browser.waitForText("#links-result", "Đã cấp lại đường dẫn");
        until(() -> !url.equals(browser.find("#jl-sheet .jl-card[data-room='" + room + "'] .jl-url").getAttribute("value")), "a new link is shown");
        String newUrl = browser.find("#jl-sheet .jl-card[data-room='" + room + "'] .jl-url").getAttribute("value");
        assertThat(status("GET", "/api/v1/sessions/" + sessionId, tokenOf(url))).isEqualTo(401);
        assertThat(status("GET", "/api/v1/sessions/" + sessionId, tokenOf(newUrl))).isEqualTo(200);
        assertThat(status("GET", "/api/v1/sessions/" + sessionId, tokenOf(otherUrl))).isEqualTo(200);

        // Revoke another room's link from the same list.
        browser.js("window.confirm = () => true;");
        browser.find("#jl-sheet .jl-card[data-room='" + other + "'] .jl-revoke").click();
        browser.waitForText("#links-result", "Đã thu hồi 1 đường dẫn");
        assertThat(status("GET", "/api/v1/sessions/" + sessionId, tokenOf(otherUrl))).isEqualTo(401);
        assertThat(browser.find("#jl-sheet .jl-card[data-room='" + other + "'] .jl-none").getText()).isEqualTo("Đường dẫn đã bị thu hồi");
    }

    @Test
    @Order(2)
    void the_admin_opens_the_same_sheet_from_the_sessions_list() {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/sessions", "#sessions-table");
        browser.find("#sessions-table tr[data-session-id='" + sessionId + "'] .session-links").click();
        browser.waitForText("#jl-issue-all", "11 điểm cầu");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/join-links/" + sessionId);
    }

    @Test
    @Order(3)
    void the_admin_books_a_session_with_search_tier_selection_and_count_then_sees_it_confirmed_and_the_form_cleared() throws Exception {
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/sessions", "#session-form");
        WebElement form = browser.find("#session-form");
        // The leaders panel loads after the form shows and then replaces the presiding options (keeping the
        // choice): an option element read before that is gone, so the selected one is looked up afresh.
        browser.waitForText("#session-form select[name='presidingUserId'] option:checked", "Chủ tịch UBND tỉnh (chutri)");
        assertThat(browser.js("return document.querySelector(\"#session-form select[name='presidingUserId']\").selectedOptions[0].text;"))
                .isEqualTo("Chủ tịch UBND tỉnh (chutri)");
        String day = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).plusDays(2).toString();
        browser.js("const f = document.getElementById('session-form');"
                + "f.elements.title.value = 'Tiếp công dân về đất đai';"
                + "f.elements.scheduledStart.value = arguments[0] + 'T08:00'; f.elements.scheduledEnd.value = arguments[0] + 'T11:00';"
                + "f.dispatchEvent(new Event('change'));", day);
        new Select(form.findElement(org.openqa.selenium.By.name("invitationType"))).selectByValue("LIST");
        browser.waitFor("#inv-search").sendKeys("Bãi");
        until(() -> browser.findAll(".room-picker-rows > .field-check:not([hidden])").size() >= 1
                && browser.findAll(".room-picker-rows > .field-check:not([hidden])").size() < 5, "the search narrows the list");
        browser.find(".inv-tier[data-level='WARD']").click();
        long wardsTicked = checked().size();
        assertThat(wardsTicked).as("the wards the search shows").isBetween(1L, 4L);
        browser.find("#inv-search").clear();
        browser.js("const s = document.getElementById('inv-search'); s.value = ''; s.dispatchEvent(new Event('input'));");
        browser.find(".inv-tier[data-level='SPECIAL_ZONE']").click();
        List<String> ticked = checked();
        assertThat(ticked).as("and both special zones").hasSize((int) wardsTicked + 2);
        browser.waitForText("#inv-count", "Sẽ mời " + ticked.size() + " điểm cầu");
        browser.js("document.querySelector('#session-form .room-picker').scrollIntoView({ block: 'start' });");
        browser.screenshotForDocs("schedule-form-vi");

        form.findElement(org.openqa.selenium.By.cssSelector("button[type='submit']")).click();
        browser.waitForText("#session-created", "Đã lên lịch phiên “Tiếp công dân về đất đai” với " + ticked.size() + " điểm cầu");
        assertThat(browser.find("#session-form").findElement(org.openqa.selenium.By.name("scheduledStart")).getAttribute("value")).isEmpty();
        assertThat(checked()).as("the form is cleared: a second press books nothing").isEmpty();
        browser.waitForText("#sessions-table", "Tiếp công dân về đất đai");

        JsonNode booked = null;
        for (JsonNode s : api("GET", "/api/v1/sessions?from=" + Instant.now().minus(1, ChronoUnit.DAYS) + "&to="
                + Instant.now().plus(5, ChronoUnit.DAYS), adminToken, null).get("sessions")) {
            if (s.get("title").asText().equals("Tiếp công dân về đất đai")) {
                assertThat(booked).as("booked once").isNull();
                booked = s;
            }
        }
        assertThat(booked).isNotNull();
        assertThat(booked.get("presidingUserId").asLong()).isEqualTo(hostId);
        assertThat(booked.get("presidingOfficial").asText()).isEqualTo("Chủ tịch UBND tỉnh");
        assertThat(booked.get("invitedRoomCount").asInt()).as("the count the form showed").isEqualTo(ticked.size());
        String row = browser.find("#sessions-table tr[data-session-id='" + booked.get("id").asLong() + "']").getText();
        assertThat(row).contains(String.valueOf(ticked.size()));
    }

    private static List<String> checked() {
        List<String> out = new ArrayList<>();
        for (WebElement box : browser.findAll("#session-form input[name='invited']")) {
            if (box.isSelected()) {
                out.add(box.getAttribute("value"));
            }
        }
        return out;
    }

    /** Decodes the QR code as the screen shows it (the element's screenshot), as a phone camera would. */
    private static String scan(WebElement qr) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(qr.getScreenshotAs(OutputType.BYTES)));
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    private static String tokenOf(String url) {
        return URLDecoder.decode(url.substring(url.indexOf("&token=") + "&token=".length()), StandardCharsets.UTF_8);
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    static String password(String username) {
        return username + "-mat-khau-2026";
    }

    private static int status(String method, String path, String token) throws Exception {
        return send(method, path, token, null).statusCode();
    }

    private static JsonNode api(String method, String path, String token, Object body) throws Exception {
        HttpResponse<String> r = send(method, path, token, body);
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
