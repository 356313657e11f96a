package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13 in Chromium: a commune room tells the office the citizen has arrived and asks a
 * question; the host's and the secretary's consoles, already open, show it as it is sent; the
 * secretary answers (the room sees the answer) and files the question as a petition draft. Then
 * the administrator's schedule form shows where a "2nd of every month" rule lands in 2027.
 * Two browsers: the office PC (host console, and the room's join link in a second tab) and the
 * secretary's PC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomMessagesAndHolidaysIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static WebServer server;
    static WebFixture fixture;
    static ReceptionApi api;
    static Browser office;
    static Browser desk;
    static long sessionId;
    static String room;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        fixture = new WebFixture(server);
        api = new ReceptionApi(server);
        fixture.createUser("chutri.tn", "Chủ tịch UBND tỉnh", "HOST");
        fixture.createUser("thuky.tn", "Thư ký Hạnh", "SECRETARY");
        sessionId = fixture.liveSession("Tiếp công dân định kỳ — tin nhắn điểm cầu", "chutri.tn");
        room = fixture.rooms.get(0);
        office = new Browser(server.baseUrl(), dir.resolve("office-profile"));
        desk = new Browser(server.baseUrl(), dir.resolve("desk-profile"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {office, desk}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aRoomsMessageReachesTheHostAndTheSecretaryLiveAndBecomesAPetitionDraft() throws Exception {
        office.open("/signin");
        office.signIn("chutri.tn", WebFixture.passwordOf("chutri.tn"));
        office.go("/host/" + sessionId, "#staff-messages-panel");
        String hostTab = office.driver.getWindowHandle();
        desk.open("/signin");
        desk.signIn("thuky.tn", WebFixture.passwordOf("thuky.tn"));
        desk.go("/secretary/" + sessionId, "#staff-messages-panel");
        desk.waitFor("#live-state.connected");

        office.driver.switchTo().newWindow(WindowType.TAB);
        String roomTab = office.driver.getWindowHandle();
        office.driver.get(api.joinLink(sessionId, room));
        office.waitFor("#room-messages-panel");
        office.waitFor("#quick-CITIZEN_HERE").click();
        office.waitFor("#room-messages li.msg-own");
        office.find("#room-message-text").sendKeys("Công dân hỏi khi nào được bồi thường đất làm đường 342?");
        office.find("#room-message-send").click();
        new WebDriverWait(office.driver, PATIENCE, Browser.POLL).withMessage("the room sees both of its messages")
                .until(d -> office.findAll("#room-messages li.msg-own").size() == 2);

        desk.waitForText("#staff-messages", "Công dân hỏi khi nào được bồi thường");
        assertThat(desk.find("#staff-messages").getText()).contains("Công dân đã có mặt");
        office.driver.switchTo().window(hostTab);
        office.waitForText("#staff-messages", "Công dân hỏi khi nào được bồi thường");
        assertThat(office.findAll("#staff-messages li.msg-item[data-room='" + room + "']")).hasSize(2);
        assertThat(office.find("#staff-messages-count").getText()).isEqualTo("2");
        assertThat(office.findAll("#staff-messages .msg-file-btn")).as("the host replies; filing is the secretary's").isEmpty();
        office.js("document.getElementById('staff-messages-panel').scrollIntoView({block: 'center'});");
        office.screenshotForDocs("room-messages-host-vi");

        // The secretary answers the question; the room sees the answer in its thread.
        String question = "#staff-messages li.msg-item:first-child";
        desk.find(question + " .msg-reply-btn").click();
        desk.waitFor(question + " form[data-reply-to] input[name='text']").sendKeys("Mời công dân trình bày, Ban sẽ ghi nhận.");
        desk.find(question + " form[data-reply-to] button[type='submit']").click();
        desk.waitForText(question + " .msg-reply", "Mời công dân trình bày");
        office.driver.switchTo().window(roomTab);
        office.waitForText("#room-messages li.msg-reply", "Mời công dân trình bày");
        office.js("document.getElementById('room-messages-panel').scrollIntoView({block: 'center'});");
        office.screenshotForDocs("room-messages-room-vi");

        // ... and files it as a petition draft: it enters the register, summary from the message, origin the room.
        desk.find(question + " .msg-file-btn").click();
        String form = question + " form[data-petition-from]";
        new Select(desk.waitFor(form + " select[name='kind']")).selectByValue("RECOMMENDATION");
        desk.find(form + " input[name='name']").sendKeys("Vũ Thị Hoa");
        desk.find(form + " input[name='address']").sendKeys("Khu 4, phường Hà Tu, Hạ Long");
        desk.screenshotForDocs("room-messages-secretary-vi");
        desk.find(form + " button[type='submit']").click();
        desk.waitFor(question + " .msg-filed");
        desk.waitForText("#register", "bồi thường đất làm đường 342");
        JsonNode petitions = fixture.petitions(sessionId, fixture.login("thuky.tn", WebFixture.passwordOf("thuky.tn")));
        assertThat(petitions).hasSize(1);
        assertThat(petitions.get(0).get("summary").asText()).isEqualTo("Công dân hỏi khi nào được bồi thường đất làm đường 342?");
        assertThat(petitions.get(0).get("originRoomCode").asText()).isEqualTo(room);
        assertThat(petitions.get(0).get("status").asText()).isEqualTo("RECEIVED");
        assertThat(desk.findAll(question + " .msg-file-btn")).as("a message is filed once").isEmpty();

        desk.language("en");
        desk.waitForText("#staff-messages-panel h2", "Messages from rooms");
        desk.screenshotForDocs("room-messages-secretary-en");
        desk.language("vi");
        office.driver.close();
        office.driver.switchTo().window(hostTab);
    }

    @Test
    @Order(2)
    void theScheduleFormShowsEachMoveOf2027AndWhy() {
        desk.signOut();
        desk.open("/signin");
        desk.signIn("admin", WebServer.ADMIN_PASSWORD);
        desk.go("/admin/sessions", "#session-form");
        desk.js("const f = document.getElementById('session-form');"
                + "f.elements.scheduledStart.value = '2027-01-01T08:00'; f.elements.scheduledEnd.value = '2027-01-01T11:00';"
                + "f.elements.repeat.value = 'MONTHLY_DAY'; f.elements.monthDay.value = '2'; f.elements.until.value = '2027-12-31';"
                + "f.dispatchEvent(new Event('change'));");
        desk.waitFor("#schedule-moves li[data-rule-date='2027-09-02']");
        String nationalDay = desk.find("#schedule-moves li[data-rule-date='2027-09-02']").getText();
        assertThat(nationalDay).contains("Quốc khánh").contains("dời sang");
        assertThat(desk.findAll("#schedule-moves li")).hasSize(4); // 2/1, 2/5, 2/9, 2/10
        assertThat(desk.find("#schedule-moves li[data-rule-date='2027-01-02']").getText()).contains("Thứ Bảy");
        assertThat(desk.findAll("#holiday-table-warning")).isEmpty();
        desk.js("document.getElementById('schedule-preview').scrollIntoView({block: 'center'});");
        desk.screenshotForDocs("schedule-holidays-vi");

        desk.js("const f = document.getElementById('session-form'); f.elements.onNonWorkingDay.value = 'SKIP';"
                + "f.elements.until.value = '2028-03-31'; f.dispatchEvent(new Event('change'));");
        desk.waitFor("#schedule-moves li[data-outcome='SKIPPED']");
        desk.waitForText("#holiday-table-warning", "2028");
        desk.language("en");
        desk.waitForText("#schedule-moves", "skipped");
        assertThat(desk.find("#holiday-table-warning").getText()).contains("ends with 2027").contains("2028");
        desk.js("document.getElementById('schedule-preview').scrollIntoView({block: 'center'});");
        desk.screenshotForDocs("schedule-holidays-en");
        desk.language("vi");
    }

    @Test
    @Order(3)
    void theAdministratorListsALeaderAndBooksASessionPresidedByThemNotByATypedName() throws Exception {
        desk.go("/admin/sessions", "#leader-form");
        desk.find("#leader-form input[name='name']").sendKeys("Vũ Đại Thắng");
        desk.find("#leader-form input[name='position']").sendKeys("Bí thư Tỉnh ủy");
        desk.find("#leader-form button[type='submit']").click();
        desk.waitForText("#leaders-list", "Vũ Đại Thắng");
        Select presiding = new Select(desk.find("#session-form select[name='presidingUserId']"));
        new WebDriverWait(desk.driver, PATIENCE, Browser.POLL).withMessage("the new leader is offered to preside")
                .until(d -> presiding.getOptions().stream().anyMatch(o -> o.getText().startsWith("Vũ Đại Thắng — Bí thư Tỉnh ủy")));
        assertThat(presiding.getOptions()).as("no free-text choice").allMatch(o -> !o.getAttribute("value").isEmpty());
        String day = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).plusDays(3).toString();
        desk.js("const f = document.getElementById('session-form'); f.elements.repeat.value = 'NONE'; f.elements.title.value = 'Bí thư tiếp dân';"
                + "f.elements.scheduledStart.value = arguments[0] + 'T08:00'; f.elements.scheduledEnd.value = arguments[0] + 'T11:00';"
                + "f.dispatchEvent(new Event('change'));", day);
        presiding.getOptions().stream().filter(o -> o.getText().startsWith("Vũ Đại Thắng")).findFirst().orElseThrow().click();
        desk.js("document.getElementById('leaders-panel').scrollIntoView({block: 'center'});");
        desk.screenshotForDocs("leaders-list-vi");
        desk.find("#session-form button[type='submit']").click();
        desk.waitFor("#session-created .notice.ok");
        JsonNode booked = null;
        for (JsonNode s : fixture.call("GET", "/api/v1/sessions?limit=200", fixture.adminToken, null).get("sessions")) {
            if (s.get("title").asText().equals("Bí thư tiếp dân")) {
                booked = s;
            }
        }
        assertThat(booked).isNotNull();
        assertThat(booked.get("presidingOfficial").asText()).isEqualTo("Vũ Đại Thắng");
        assertThat(booked.get("presidingUserId").isNull()).isTrue();
        JsonNode leaders = fixture.call("GET", "/api/v1/leaders", fixture.adminToken, null).get("leaders");
        long leaderId = -1;
        for (JsonNode l : leaders) {
            if (l.get("name").asText().equals("Vũ Đại Thắng")) {
                leaderId = l.get("id").asLong();
            }
        }
        assertThat(booked.get("presidingLeaderId").asLong()).isEqualTo(leaderId);
    }
}
