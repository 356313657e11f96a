package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The secretary's case file in Chromium: an accepted complaint is assigned to an agency from the
 * administrator's list through the next-step form, the step appears with its article, the citizen's
 * earlier petition is found by ID-card number and linked as a repeat; shown in both languages.
 */
class CaseFileIT {
    private static final String ID_NUMBER = "022086001234";

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
        sessionId = fixture.liveSession("Tiếp công dân định kỳ tháng 12", "chutri");
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
    void an_accepted_complaint_is_assigned_from_the_agency_list_and_linked_to_the_citizens_earlier_petition() throws Exception {
        fixture.call("POST", "/api/v1/agencies", fixture.adminToken, Map.of("name", "Sở Tài nguyên và Môi trường"));
        String secretary = fixture.login("thuky", WebFixture.passwordOf("thuky"));
        long earlier = register(secretary, "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất năm 2023.");
        long current = register(secretary, "Khiếu nại việc thu hồi đất làm đường tỉnh 342 chưa bồi thường đủ.");
        fixture.call("POST", "/api/v1/petitions/" + current + "/status", secretary, Map.of("status", "ACCEPTED", "version", 1));

        browser.open("/signin");
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        String row = "#register .petition[data-petition-id='" + current + "']";
        browser.go("/secretary/" + sessionId, row + " .pet-case");
        browser.find(row + " .pet-case").click();
        browser.waitForText("#case-file .case-status", "Đã thụ lý");
        assertThat(browser.find("#case-file .case-due").getText()).contains("LKN 02/2011/QH13 Art. 28");

        browser.find("#case-file .case-next").click();
        browser.waitFor("#case-step select[name='step']");
        browser.js("const s = document.querySelector(\"#case-step select[name='step']\"); s.value = 'ASSIGNED';"
                + "s.dispatchEvent(new Event('change'));");
        assertThat(browser.find("#case-step .case-basis").getText()).isEqualTo("LKN 02/2011/QH13 Art. 29");
        assertThat(browser.find("#case-step [data-field='decisionNumber']").isDisplayed()).isFalse();
        browser.js("const a = document.querySelector(\"#case-step select[name='agencyId']\");"
                + "a.value = [...a.options].find(o => o.textContent === 'Sở Tài nguyên và Môi trường').value;");
        browser.find("#case-step button[type='submit']").click();
        browser.waitForText("#case-file .case-steps tr[data-step='ASSIGNED']", "Sở Tài nguyên và Môi trường");
        assertThat(browser.find("#case-file .case-steps tr[data-step='ASSIGNED'] .basis").getText()).isEqualTo("LKN 02/2011/QH13 Art. 29");
        browser.waitForText("#case-file .case-status", "Đã giao cơ quan giải quyết");

        browser.find("#case-file input[name='idNumber']").sendKeys(ID_NUMBER);
        browser.find("#case-file .case-search button").click();
        String hit = "#case-file .case-earlier-list li[data-petition-id='" + earlier + "']";
        browser.waitFor(hit);
        browser.find(hit + " button[data-link='REPEAT']").click();
        browser.waitForText("#case-file .case-links", "Đơn trùng, lặp lại");
        browser.screenshotForDocs("case-file-vi");

        languageInPlace("en"); // the modal dialog covers the language button
        new WebDriverWait(browser.driver, Duration.ofSeconds(10), Browser.POLL)
                .until(d -> browser.find("#case-file .case-status").getText().equals("Assigned to a handling agency"));
        assertThat(browser.find("#case-file .case-links").getText()).contains("Repeated petition");
        browser.screenshotForDocs("case-file-en");
        languageInPlace("vi");

        JsonNode file = fixture.call("GET", "/api/v1/petitions/" + current + "/steps", secretary, null);
        assertThat(file.get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(file.get("links").get(0).get("otherId").asLong()).isEqualTo(earlier);
        assertThat(browser.consoleLog()).noneMatch(line -> line.contains("SEVERE"));

        // The administrator's register shows the same handling, read-only, and the agency list it is kept from.
        browser.signOut();
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        String adminRow = "#petitions-table tr[data-petition-id='" + current + "']";
        browser.go("/admin/petitions", adminRow + " .pet-case");
        browser.waitForText("#agencies .agencies", "Sở Tài nguyên và Môi trường");
        browser.find(adminRow + " .pet-case").click();
        browser.waitForText("#case-file .case-steps tr[data-step='ASSIGNED']", "Sở Tài nguyên và Môi trường");
        assertThat(browser.findAll("#case-file .case-next")).as("administrators do not record steps").isEmpty();
        assertThat(browser.findAll("#case-file input[name='idNumber']")).as("nor search by ID number").isEmpty();
        browser.screenshotForDocs("admin-case-file-vi");
    }

    private static void languageInPlace(String lang) {
        browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import(new URL('js/i18n.js', document.baseURI).href).then(m => m.setLang(arguments[0])).then(() => done());", lang);
        new WebDriverWait(browser.driver, Duration.ofSeconds(10), Browser.POLL).until(d -> lang.equals(browser.js("return document.documentElement.lang;")));
    }

    private static long register(String token, String summary) throws Exception {
        Map<String, Object> body = Map.of("kind", "COMPLAINT", "summary", summary, "petitioners",
                List.of(Map.of("name", "Nguyễn Văn An", "idNumber", ID_NUMBER, "address", "Tổ 3, khu 5, phường Hồng Gai")));
        return fixture.call("POST", "/api/v1/sessions/" + sessionId + "/petitions", token, body).get("id").asLong();
    }
}
