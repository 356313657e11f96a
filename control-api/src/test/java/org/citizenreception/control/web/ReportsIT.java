package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.PdfFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrator's Reports page in Chromium against the real server: the twice-monthly review
 * opens with the half-month of today, its bar chart (SVG rectangles whose heights carry the figures),
 * the tables by kind and status, and the CSV and the PDF downloaded as files with the same figures;
 * shown in both languages, the PDF printed in the page's language.
 */
class ReportsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static WebFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        fixture = new WebFixture(server);
        fixture.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        fixture.createUser("thuky", "Thư ký Lan", "SECRETARY");
        long session = fixture.liveSession("Tiếp công dân định kỳ tháng 12", "chutri");
        String secretary = fixture.login("thuky", WebFixture.passwordOf("thuky"));
        register(secretary, session, "COMPLAINT", "Khiếu nại việc thu hồi đất làm đường tỉnh 342.");
        register(secretary, session, "DENUNCIATION", "Tố cáo cán bộ địa chính thu tiền trái quy định.");
        long refused = register(secretary, session, "RECOMMENDATION", "Kiến nghị sửa đường liên thôn.");
        fixture.call("POST", "/api/v1/petitions/" + refused + "/status", secretary, Map.of("status", "REFUSED",
                "reason", "Không thuộc thẩm quyền", "version", 1));
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
    void the_administrator_opens_the_review_report_sees_the_chart_and_the_table_and_downloads_the_csv() throws Exception {
        browser.open("/signin");
        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        browser.go("/admin/reports", "#report-form");
        try {
            browser.waitFor("#report-chart");
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no chart; the page shows: " + browser.js("return document.querySelector('main').innerText;")
                    + "\nconsole: " + browser.consoleLog(), e);
        }

        // The chart: this period's and last year's bar for received, resolved and overdue.
        assertThat(browser.findAll("#report-chart rect.report-bar[data-figure]")).hasSize(6);
        assertThat(browser.find("#report-chart rect[data-series='current'][data-figure='received']").getAttribute("data-value"))
                .isEqualTo("3");
        assertThat(Integer.parseInt(browser.find("#report-chart rect[data-series='current'][data-figure='received']").getAttribute("height")))
                .isGreaterThan(0);
        assertThat(browser.find("#report-chart rect[data-series='previous'][data-figure='received']").getAttribute("height")).isEqualTo("0");

        // The tables: totals, by kind, by status.
        assertThat(browser.find("#report-totals tbody tr:first-child").getText()).contains("Tiếp nhận").contains("3");
        assertThat(browser.find("#report-kinds").getText()).contains("Khiếu nại 1").contains("Tố cáo 1").contains("Kiến nghị 1");
        assertThat(browser.findAll("#report-statuses tbody tr")).hasSize(2);
        browser.screenshotForDocs("reports-vi");
        // Drawn without inline script or style: the Content-Security-Policy refuses nothing here.
        assertThat(browser.consoleLog()).noneMatch(l -> l.contains("Content Security Policy") || l.contains("Refused to"));

        // The CSV, downloaded as a file: the header and a line per figure the page shows.
        JsonNode report = fixture.call("GET", "/api/v1/reports/review-fortnight", fixture.adminToken, null);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        browser.find("#report-csv").click();
        Path csvFile = Downloads.awaitComplete(downloads, ".csv", PATIENCE);
        assertThat(csvFile.getFileName().toString()).startsWith("report-review-fortnight-");
        List<String> lines = List.of(Files.readString(csvFile, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("\uFEFFsection,item,original_units,value,previous_year,minimum");
        int expected = 8 + report.get("byUnit").size() + report.get("byKind").size() + report.get("byStatus").size()
                + report.get("byAgency").size() + report.get("leaders").size();
        assertThat(lines).hasSize(expected);
        assertThat(lines).contains("totals,received,,3,0,", "kind,DENUNCIATION,,1,,", "status,REFUSED,,1,,");

        // The PDF beside it, in the language the page is read in.
        browser.find("#report-pdf").click();
        Path pdfFile = Downloads.awaitComplete(downloads, "-vi.pdf", PATIENCE);
        assertThat(pdfFile.getFileName().toString()).startsWith("report-review-fortnight-");
        assertThat(PdfFiles.text(Files.readAllBytes(pdfFile)).replaceAll("\\s+", " ")).contains("• Tiếp nhận: 3 (cùng kỳ: 0)", "• Tố cáo: 1");

        browser.language("en");
        browser.waitForText("#report-totals tbody tr:first-child", "Received");
        assertThat(browser.find("#report-chart title").getAttribute("textContent")).startsWith("Received, resolved and overdue");
        browser.screenshotForDocs("reports-en");
        browser.find("#report-pdf").click();
        Path englishPdf = Downloads.awaitComplete(downloads, "-en.pdf", PATIENCE);
        assertThat(PdfFiles.text(Files.readAllBytes(englishPdf)).replaceAll("\\s+", " ")).contains("• Received: 3 (last year: 0)");
        browser.language("vi");
    }

    private static long register(String token, long session, String kind, String summary) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("kind", kind);
        if (kind.equals("COMPLAINT")) {
            body.put("complaintRound", 1);
        }
        body.put("summary", summary);
        body.put("petitioners", List.of(Map.of("name", "Nguyễn Văn An", "address", "Tổ 3, khu 5, phường Hồng Gai")));
        return fixture.call("POST", "/api/v1/sessions/" + session + "/petitions", token, body).get("id").asLong();
    }
}
