package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.testing.PdfFiles.assertPdfA2b;
import static org.citizenreception.control.testing.PdfFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's session record "done when": the biên bản of an ended session, fetched as PDF, holds
 * every invited room and every petition (register number, kind) with Vietnamese diacritics intact
 * in its extracted text, withholds the denouncer's name as rooms' views do, passes veraPDF's PDF/A-2b
 * validation, and its SHA-256 is in the audit log. In Vietnamese by default and in English on
 * {@code lang=en} (labels translated, names and summaries as entered), as PDF and as HTML.
 */
class SessionRecordPdfTest {
    private static final List<String> ROOMS = List.of("QN25-BAI-CHAY", "QN25-MONG-CAI-1", "QN25-UONG-BI");
    private static final String DENOUNCER = "Trần Thị Bích Ngọc";

    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String secretary;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        t.createUser("host.record", Role.HOST, null);
        t.createUser("sec.record", Role.SECRETARY, null);
        host = t.token("host.record", TestServer.passwordOf("host.record"));
        secretary = t.token("sec.record", TestServer.passwordOf("sec.record"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void theRecordPdfListsEveryRoomAndPetitionWithDiacriticsAndPassesPdfA2bValidation() throws Exception {
        Instant start = t.clock.instant();
        TestServer.Response s = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Tiếp công dân định kỳ tháng Ba",
                "scheduledStart", start.toString(), "scheduledEnd", start.plus(Duration.ofHours(2)).toString(),
                "presidingOfficial", "Chủ tịch Ủy ban nhân dân tỉnh", "hostRoomCode", "QN-VP",
                "invitation", Map.of("type", "LIST", "rooms", ROOMS)));
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        long session = s.json().get("id").asLong();
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE")).status()).isEqualTo(200);
        String complaint = register(session, "COMPLAINT", ROOMS.get(0), "Nguyễn Văn Đức", "Khiếu nại về bồi thường đất ở phường Bãi Cháy");
        String denunciation = register(session, "DENUNCIATION", ROOMS.get(1), DENOUNCER, "Tố cáo hành vi nhận hối lộ");
        assertThat(t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "ENDED")).status()).isEqualTo(200);

        // filed on its own at the end (first: the records fetched below list it), sealed into the session's archive
        RecordingIT.waitUntil(() -> t.get("/api/v1/sessions/" + session + "/recordings", host).body().contains("\"RECORD\""), 30,
                "the record is filed into the archive when the session ends");

        HttpResponse<byte[]> response = fetchPdf(session, "");
        byte[] pdf = response.body();
        String text = text(pdf);
        assertThat(text).contains("BIÊN BẢN PHIÊN TIẾP CÔNG DÂN TRỰC TUYẾN", "Tiếp công dân định kỳ tháng Ba",
                "Chủ tịch Ủy ban nhân dân tỉnh", complaint, denunciation, "Khiếu nại", "Tố cáo",
                "Khiếu nại về bồi thường đất ở phường Bãi Cháy", "Điểm cầu được mời: 3, có mặt: 0, vắng mặt: 3", "Vắng mặt");
        for (String room : ROOMS) {
            assertThat(text).as("room %s in the record", room).contains(t.get("/api/v1/rooms/" + room, host).json().get("name").asText());
        }
        assertThat(text).as("the denouncer is withheld, as in rooms' views").doesNotContain(DENOUNCER).contains("(giữ bí mật)");
        assertPdfA2b(pdf);
        assertThat(text(fetchPdf(session, "?lang=vi").body())).as("lang=vi is the default").isEqualTo(text);

        // In English for a user reading the app in English: every label translated, what people entered as entered.
        HttpResponse<byte[]> english = fetchPdf(session, "?lang=en");
        String en = text(english.body());
        assertThat(en).contains("RECORD OF THE ONLINE CITIZEN RECEPTION SESSION", "Session no. " + session, "Presiding official",
                "Tiếp công dân định kỳ tháng Ba", "Chủ tịch Ủy ban nhân dân tỉnh", "Rooms invited: 3, present: 0, absent: 3", "Absent",
                "Petitions registered (2)", complaint, denunciation, "Complaint", "Denunciation",
                "Khiếu nại về bồi thường đất ở phường Bãi Cháy", "(withheld)", "Floor changes", "Recordings", "Ended");
        for (String room : ROOMS) {
            assertThat(en).as("room %s in the English record", room).contains(t.get("/api/v1/rooms/" + room, host).json().get("name").asText());
        }
        assertThat(en).doesNotContain(DENOUNCER, "BIÊN BẢN", "Điểm cầu", "Vắng mặt", "giữ bí mật", "Đơn thư", "Người chủ trì", "Đã kết thúc");
        assertPdfA2b(english.body());

        String sha256 = response.headers().firstValue("X-Content-SHA256").orElseThrow();
        assertThat(sha256).isEqualTo(RecordingArchive.sha256(pdf));
        JsonNode audit = t.get("/api/v1/audit?entityType=session&entityId=" + session, t.adminToken()).json();
        assertThat(audit.toString()).contains("session.record.generate", sha256);


        TestServer.Response html = t.get("/api/v1/sessions/" + session + "/record.html", host);
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("<html lang=\"vi\">", complaint, "Tố cáo", "Người chủ trì", "Vắng mặt").doesNotContain(DENOUNCER);
        TestServer.Response htmlEn = t.get("/api/v1/sessions/" + session + "/record.html?lang=en", host);
        assertThat(htmlEn.status()).isEqualTo(200);
        assertThat(htmlEn.body()).contains("<html lang=\"en\">", complaint, "Denunciation", "Presiding official", "Absent",
                "Chủ tịch Ủy ban nhân dân tỉnh").doesNotContain(DENOUNCER, "Người chủ trì", "Vắng mặt");
        assertThat(t.get("/api/v1/audit?entityType=session&entityId=" + session, t.adminToken()).body())
                .contains("\"lang\":\"en\"", RecordingArchive.sha256(english.body()));

        // Any other language is refused, naming the parameter, and nothing is generated or audited.
        long audited = generations(session);
        TestServer.Response french = t.get("/api/v1/sessions/" + session + "/record.pdf?lang=fr", host);
        assertThat(french.status()).isEqualTo(400);
        assertThat(french.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(french.json().get("errors").get(0).get("field").asText()).isEqualTo("lang");
        assertThat(generations(session)).isEqualTo(audited);
    }

    private static long generations(long session) {
        String audit = t.get("/api/v1/audit?entityType=session&entityId=" + session, t.adminToken()).body();
        return audit.split("session.record.generate", -1).length - 1;
    }

    private static HttpResponse<byte[]> fetchPdf(long session, String query) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(t.uri("/api/v1/sessions/" + session
                + "/record.pdf" + query)).header("Authorization", "Bearer " + secretary).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pdf"));
        return response;
    }

    private static String register(long session, String kind, String room, String name, String summary) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("originRoomCode", room);
        p.put("petitioners", List.of(Map.of("name", name, "idNumber", "012345678989", "address", "Tổ 5, Hạ Long")));
        p.put("summary", summary);
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("registerNumber").asText();
    }
}
