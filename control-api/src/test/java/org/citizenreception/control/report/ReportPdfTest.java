package org.citizenreception.control.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.PdfFiles.assertPdfA2b;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.citizenreception.control.testing.PdfFiles;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports as PDF/A-2b: the text PDFBox reads back from the file holds the figures worked out by
 * hand in {@link ReportCountsTest} for the same data set ({@link ReportDataSet}), labelled in
 * Vietnamese by default and in English on {@code lang=en} or an English Accept-Language, merged
 * wards under their successor with the originals named, and veraPDF finds the file conformant. The
 * labels cover every kind, status and duty, so no figure prints under a bare enum name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportPdfTest {
    @TempDir
    static Path dir;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    ReportDataSet data;

    @BeforeAll
    void seed() {
        data = new ReportDataSet(dir);
    }

    @AfterAll
    void stop() {
        data.close();
    }

    @Test
    void theSixMonthReportPrintsEveryFigureOfTheFirstHalfOf2026InVietnamese() throws Exception {
        HttpResponse<byte[]> pdf = fetch("/api/v1/reports/six-months.pdf?from=2026-01-01", null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pdf"));
        assertThat(pdf.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"report-six-months-2026-01-01-2026-06-30-vi.pdf\"");
        String text = words(pdf.body());
        assertThat(text).contains("Báo cáo 6 tháng công tác tiếp công dân, xử lý đơn",
                "Kỳ báo cáo: 01/01/2026 – 30/06/2026 · so với cùng kỳ 01/01/2025 – 30/06/2025",
                // the chart's bars are labelled, the totals below them stated with last year's
                "Tiếp nhận · Kỳ này", "Quá hạn · Cùng kỳ năm trước",
                "• Tiếp nhận: 8 (cùng kỳ: 5)", "• Đã giải quyết: 3 (cùng kỳ: 1)", "• Quá hạn: 2 (cùng kỳ: 1)",
                "• Tồn kỳ trước chuyển sang: 2", "• Giải quyết đúng hạn (tỷ lệ): 2 (66.7 %)",
                "• Phường Hồng Gai (QN25-HONG-GAI): 5", "• Phường Bãi Cháy (QN25-BAI-CHAY): 3",
                "• Khiếu nại: 4", "• Tố cáo: 2", "• Kiến nghị: 1", "• Phản ánh: 1",
                "• Đã tiếp nhận: 1", "• Chuyển cơ quan có thẩm quyền: 1", "• Đang giải quyết: 1", "• " + ReportLanguage.VI.label("status.WITHDRAWN") + ": 1",
                "• (chưa giao): 5", "• =Thanh tra tỉnh: 1", "• Sở Tài nguyên và Môi trường: 2",
                "• Nguyễn Văn Tỉnh — Chủ tịch UBND tỉnh · Chủ tịch UBND tỉnh: 1 ngày/tháng (Điều 12 Luật TCD): Số buổi đã tiếp 1 / "
                        + "Tối thiểu theo quy định 6 (chưa đủ)",
                "• Trần Thị Phường — Chủ tịch UBND phường Hồng Gai · Chủ tịch UBND cấp xã: 1 ngày/tuần (Điều 15 Luật TCD): "
                        + "Số buổi đã tiếp 1 / Tối thiểu theo quy định 25 (chưa đủ)",
                "• Lê Văn Sở — Giám đốc Sở Tư pháp · Thủ trưởng cơ quan: 1 ngày/tháng (Điều 18 Luật TCD): Số buổi đã tiếp 0 / "
                        + "Tối thiểu theo quy định 6 (chưa đủ)");
        assertThat(text).doesNotContain("host.r");
        assertPdfA2b(pdf.body());
    }

    @Test
    void theYear2025ShowsTheMergedWardsUnderTheirSuccessorInEnglish() throws Exception {
        HttpResponse<byte[]> pdf = fetch("/api/v1/reports/period.pdf?from=2025-01-01&to=2025-12-31&lang=en", null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        String text = words(pdf.body());
        assertThat(text).contains("Report on citizen reception and petitions", "• Received: 7 (last year: 0)",
                "• Resolved: 2 (last year: 0)", "• Overdue: 1 (last year: 0)",
                "• Phường Hồng Gai (QN25-HONG-GAI) — Former units: QN24-HLG-BACH-DANG, QN24-HLG-HONG-GAI: 5",
                "• Complaint: 4", "• Denunciation: 1", "• Recommendation: 1", "• Reflection: 1");
        assertThat(text).doesNotContain("Tiếp nhận");

        String byBrowser = words(fetch("/api/v1/reports/period.pdf?from=2025-01-01&to=2025-12-31", "en-GB,en;q=0.9,vi;q=0.5").body());
        assertThat(byBrowser).contains("• Received: 7 (last year: 0)");
        String vietnameseFirst = words(fetch("/api/v1/reports/period.pdf?from=2025-01-01&to=2025-12-31", "vi-VN,en;q=0.8").body());
        assertThat(vietnameseFirst).contains("• Tiếp nhận: 7 (cùng kỳ: 0)");
    }

    @Test
    void aBadLanguageOrPeriodIsRefusedNamingTheField() {
        TestServer.Response lang = data.t.get("/api/v1/reports/six-months.pdf?lang=fr", data.admin);
        assertThat(lang.status()).isEqualTo(400);
        assertThat(lang.contentType()).startsWith("application/problem+json");
        assertThat(lang.json().get("detail").asText()).startsWith("lang:");
        TestServer.Response to = data.t.get("/api/v1/reports/period.pdf?from=2026-03-01", data.admin);
        assertThat(to.status()).isEqualTo(400);
        assertThat(to.json().get("detail").asText()).startsWith("to:");
    }

    @Test
    void theLabelsNameEveryKindStatusAndDutyInBothLanguages() {
        for (ReportLanguage l : ReportLanguage.values()) {
            for (org.citizenreception.control.petition.PetitionKind k : org.citizenreception.control.petition.PetitionKind.values()) {
                assertThat(l.keys()).as(l.code()).contains("kind." + k.name());
            }
            for (org.citizenreception.control.petition.PetitionStatus s : org.citizenreception.control.petition.PetitionStatus.values()) {
                assertThat(l.keys()).as(l.code()).contains("status." + s.name());
            }
            for (LeaderDuty d : LeaderDuty.values()) {
                assertThat(l.keys()).as(l.code()).contains("duty." + d.name());
            }
            assertThat(l.keys()).as("the same keys in both languages").isEqualTo(ReportLanguage.VI.keys());
        }
    }

    private HttpResponse<byte[]> fetch(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(data.t.uri(path)).header("Authorization", "Bearer " + data.secretary);
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The extracted text with every run of white space as one space: a line wrapped on paper reads as one. */
    private static String words(byte[] pdf) throws Exception {
        return PdfFiles.text(pdf).replaceAll("\\s+", " ");
    }
}
