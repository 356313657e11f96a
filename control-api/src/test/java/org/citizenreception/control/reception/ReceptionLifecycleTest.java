package org.citizenreception.control.reception;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.citizenreception.control.attendance.AttendanceRecorder;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full session lifecycle through HTTP (and the media side's attendance interface):
 * schedule, invite the 191 rooms of the 2024 directory, go live, 150 rooms connect, petitions are
 * registered and annotated concurrently by two secretaries, end, report 41 absent rooms, export.
 * The clock is in March 2025, while that directory was in force: the province's largest session.
 */
class ReceptionLifecycleTest {
    @TempDir
    static Path dir;
    static TestServer t;
    static String host;
    static String secretary1;
    static String secretary2;

    @BeforeAll
    static void start() {
        t = TestServer.startOn(Instant.parse("2025-03-03T01:00:00Z"), dir,
                "--rooms.directory=" + TestServer.configFile("rooms-2024.csv"));
        t.createUser("host.lifecycle", Role.HOST, null);
        t.createUser("sec.one", Role.SECRETARY, null);
        t.createUser("sec.two", Role.SECRETARY, null);
        host = t.token("host.lifecycle", TestServer.passwordOf("host.lifecycle"));
        secretary1 = t.token("sec.one", TestServer.passwordOf("sec.one"));
        secretary2 = t.token("sec.two", TestServer.passwordOf("sec.two"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Map<String, Object> complaint(String summary) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "COMPLAINT");
        p.put("headCount", 1);
        p.put("petitioners", List.of(Map.of("name", "Nguyễn Văn An", "idNumber", "012345678989", "address", "Tổ 5, phường Bãi Cháy, Hạ Long")));
        p.put("summary", summary);
        p.put("requests", "Xem xét lại quyết định thu hồi đất");
        return p;
    }

    @Test
    void aWholeReceptionFromSchedulingToExports() throws Exception {
        Instant start = t.clock.instant().plus(Duration.ofHours(1));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Tiếp công dân định kỳ tháng 3/2025");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(Duration.ofHours(3)).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", "QN-VP");
        body.put("invitation", Map.of("type", "ALL"));
        body.put("mode", "ONLINE");
        body.put("recording", true);
        TestServer.Response created = t.json("POST", "/api/v1/sessions", t.adminToken(), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("invitedRoomCount").asInt()).as("the rooms broadcast to, as the attendance report counts them")
                .isEqualTo(190);
        assertThat(created.json().get("state").asText()).isEqualTo("SCHEDULED");

        // Only the host goes live; an admin asking is refused, an illegal move names the allowed ones.
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/state", t.adminToken(), Map.of("state", "LIVE")).status()).isEqualTo(403);
        TestServer.Response archive = t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "ARCHIVED"));
        assertThat(archive.status()).isEqualTo(409);
        assertThat(archive.json().get("detail").asText()).contains("LIVE", "CANCELLED", "POSTPONED");
        t.clock.advance(Duration.ofHours(1));
        TestServer.Response live = t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "LIVE"));
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        Instant wentLive = t.clock.instant();

        // 150 rooms connect through the media side's interface: 140 on time, 10 twenty minutes late;
        // 5 of them with a second endpoint overlapping the first; 7 leave an hour before the end.
        AttendanceRecorder media = t.server.services().domain().attendance();
        List<String> rooms = new ArrayList<>();
        t.get("/api/v1/sessions/" + id + "/rooms", t.adminToken()).json().get("rooms").forEach(r -> rooms.add(r.asText()));
        assertThat(rooms).hasSize(191);
        // The host's own room (QN-VP, the studio) is invited but is no connection point of the report.
        List<String> connecting = rooms.stream().filter(code -> !"QN-VP".equals(code)).limit(150).toList();
        for (int i = 0; i < connecting.size(); i++) {
            Instant at = wentLive.plus(Duration.ofMinutes(i < 140 ? 1 : 20));
            media.roomConnected(String.valueOf(id), connecting.get(i), "ep-" + i, at);
            if (i < 5) {
                media.roomConnected(String.valueOf(id), connecting.get(i), "ep-" + i + "-phone", at.plus(Duration.ofMinutes(5)));
            }
        }
        for (int i = 0; i < 7; i++) {
            media.roomDisconnected(String.valueOf(id), connecting.get(i + 10), "ep-" + (i + 10), wentLive.plus(Duration.ofMinutes(90)), "left");
        }

        // A secretary registers a petition; two secretaries annotate it at the same moment.
        TestServer.Response registered = t.json("POST", "/api/v1/sessions/" + id + "/petitions", secretary1,
                complaint("Khiếu nại quyết định thu hồi đất; ' OR 1=1 -- \"; DROP TABLE petitions;"));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JsonNode petition = registered.json();
        long petitionId = petition.get("id").asLong();
        assertThat(petition.get("registerNumber").asText()).isEqualTo("2025/000001");
        assertThat(petition.get("summary").asText()).endsWith("DROP TABLE petitions;");
        assertThat(petition.get("petitioners").get(0).get("name").asText()).isEqualTo("Nguyễn Văn An");
        assertThat(petition.get("deadlines")).isNotEmpty();
        assertThat(t.json("POST", "/api/v1/sessions/" + id + "/petitions", secretary2, complaint("Kiến nghị thứ hai")).json()
                .get("registerNumber").asText()).isEqualTo("2025/000002");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch ready = new CountDownLatch(2);
        List<Callable<TestServer.Response>> both = List.of(
                () -> annotate(ready, secretary1, petitionId, "Ghi chú của thư ký 1", 1),
                () -> annotate(ready, secretary2, petitionId, "Ghi chú của thư ký 2", 1));
        List<TestServer.Response> answers = new ArrayList<>();
        for (Future<TestServer.Response> f : pool.invokeAll(both)) {
            answers.add(f.get());
        }
        pool.shutdown();
        assertThat(answers).extracting(TestServer.Response::status).containsExactlyInAnyOrder(201, 409);
        TestServer.Response conflict = answers.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.json().get("currentVersion").asLong()).isEqualTo(2);
        assertThat(conflict.json().get("yourVersion").asLong()).isEqualTo(1);
        String refusedText = conflict.json().get("yours").get("text").asText();
        assertThat(conflict.json().get("current").get("version").asLong()).isEqualTo(2);
        String loser = refusedText.endsWith("1") ? secretary1 : secretary2;
        // The console merges and resubmits on the current version: nothing typed is lost.
        TestServer.Response retry = t.json("POST", "/api/v1/petitions/" + petitionId + "/annotations", loser,
                Map.of("text", refusedText, "version", 2));
        assertThat(retry.status()).as(retry.body()).isEqualTo(201);
        JsonNode detail = t.get("/api/v1/petitions/" + petitionId, secretary1).json();
        assertThat(detail.get("annotations")).extracting(a -> a.get("text").asText())
                .containsExactlyInAnyOrder("Ghi chú của thư ký 1", "Ghi chú của thư ký 2");
        assertThat(detail.get("petition").get("version").asLong()).isEqualTo(3);
        JsonNode versions = t.get("/api/v1/petitions/" + petitionId + "/versions", secretary1).json().get("versions");
        assertThat(versions).hasSize(3);

        // The host ends the session.
        t.clock.advance(Duration.ofHours(2).plusMinutes(30));
        TestServer.Response ended = t.json("POST", "/api/v1/sessions/" + id + "/state", host, Map.of("state", "ENDED"));
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);

        TestServer.Response report = t.get("/api/v1/sessions/" + id + "/attendance", secretary1);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        JsonNode r = report.json();
        assertThat(r.get("invited").asInt()).as("every room but the host's own").isEqualTo(190);
        assertThat(r.get("present").asInt()).isEqualTo(150);
        assertThat(r.get("absent").asInt()).isEqualTo(40);
        assertThat(r.get("late").asInt()).isEqualTo(10);
        assertThat(r.get("leftEarly").asInt()).isEqualTo(7);
        JsonNode first = r.get("rooms").get(0);
        assertThat(first.get("minutesConnected").asLong()).isEqualTo(150 - 1);

        TestServer.Response attendanceCsv = t.get("/api/v1/sessions/" + id + "/attendance.csv", t.adminToken());
        assertThat(attendanceCsv.status()).isEqualTo(200);
        assertThat(attendanceCsv.body()).startsWith("\uFEFFroom_code,");
        assertThat(attendanceCsv.body().split("\r\n")).hasSize(191);
        assertThat(attendanceCsv.body().lines().filter(l -> l.contains(",ABSENT,")).count()).isEqualTo(40);

        TestServer.Response masked = t.get("/api/v1/petitions.csv?sessionId=" + id, secretary1);
        assertThat(masked.status()).isEqualTo(200);
        assertThat(masked.body()).startsWith("\uFEFF").contains("Nguyễn V** A**", "0123******89").doesNotContain("Nguyễn Văn An");
        // Counted by action, not the whole log: one run on PostgreSQL saw a second entry appear in that
        // window from other work of the server (cause not traced), which is not what this line checks.
        long unmaskedBefore = t.count("audit_log WHERE action = 'petition.export_unmasked'");
        TestServer.Response unmasked = t.get("/api/v1/petitions.csv?sessionId=" + id + "&unmasked=true", secretary1);
        assertThat(unmasked.body()).contains("Nguyễn Văn An", "012345678989");
        assertThat(t.count("audit_log WHERE action = 'petition.export_unmasked'")).isEqualTo(unmaskedBefore + 1);

        TestServer.Response verify = t.get("/api/v1/audit/verify", t.adminToken());
        assertThat(verify.json().get("valid").asBoolean()).as(verify.body()).isTrue();
    }

    private static TestServer.Response annotate(CountDownLatch ready, String token, long petitionId, String text, long version)
            throws InterruptedException {
        ready.countDown();
        ready.await();
        return t.json("POST", "/api/v1/petitions/" + petitionId + "/annotations", token, Map.of("text", text, "version", version));
    }
}
