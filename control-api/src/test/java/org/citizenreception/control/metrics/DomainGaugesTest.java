package org.citizenreception.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.petition.PetitionKind;
import org.citizenreception.control.petition.PetitionStatus;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The values of every {@code reception_api_…} gauge on {@code /metrics}, not only their names, on a
 * server of this test's own (so every count starts at a known zero). Each scrape first collects the
 * garbage: a gauge whose state Micrometer held only weakly reads NaN after that.
 */
class DomainGaugesTest {
    static final String ROOM = "QN25-BAI-CHAY";
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    @TempDir
    Path dir;
    TestServer t;

    @BeforeEach
    void start() {
        t = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aFreshServerReportsZeroForEveryDomainGauge() {
        String metrics = scrape();
        assertThat(gauge(metrics, "reception_api_sessions_live")).isEqualTo(0.0);
        assertThat(gauge(metrics, "reception_api_rooms_connected")).isEqualTo(0.0);
        assertThat(gauge(metrics, "reception_api_petitions_overdue")).isEqualTo(0.0);
        for (PetitionKind kind : PetitionKind.values()) {
            for (PetitionStatus status : PetitionStatus.values()) {
                assertThat(petitions(metrics, kind.name(), status.name())).as(kind + "/" + status).isEqualTo(0.0);
            }
        }
    }

    @Test
    void aSessionMadeLiveWithARoomConnectedCountsOneOfEachAndZeroAgainAfterItEnds() {
        long session = t.scheduleOnlineSession("Phiên tiếp dân", "QN-VP", List.of(ROOM));
        t.server.services().domain().sessions().mediaReportedLive(session);
        t.server.services().domain().attendance().roomConnected(String.valueOf(session), ROOM, "ep-1", t.clock.instant());
        String live = scrape();
        assertThat(gauge(live, "reception_api_sessions_live")).isEqualTo(1.0);
        assertThat(gauge(live, "reception_api_rooms_connected")).isEqualTo(1.0);

        t.server.services().domain().attendance().roomDisconnected(String.valueOf(session), ROOM, "ep-1", t.clock.instant(), "left");
        String roomGone = scrape();
        assertThat(gauge(roomGone, "reception_api_sessions_live")).isEqualTo(1.0);
        assertThat(gauge(roomGone, "reception_api_rooms_connected")).isEqualTo(0.0);

        t.server.services().domain().attendance().roomConnected(String.valueOf(session), ROOM, "ep-2", t.clock.instant());
        assertThat(gauge(scrape(), "reception_api_rooms_connected")).isEqualTo(1.0);
        t.server.services().domain().sessions().mediaReportedEnded(session);
        String ended = scrape();
        assertThat(gauge(ended, "reception_api_sessions_live")).isEqualTo(0.0);
        assertThat(gauge(ended, "reception_api_rooms_connected")).as("a room of an ended session is not connected").isEqualTo(0.0);
    }

    @Test
    void petitionsAreCountedByKindAndStatusAndOverdueOnceTheirNextDeadlinePasses() {
        t.createUser("sec.g", Role.SECRETARY, null);
        String secretary = t.token("sec.g", TestServer.passwordOf("sec.g"));
        long session = t.scheduleOnlineSession("Phiên tiếp dân", "QN-VP", List.of(ROOM));
        t.server.services().domain().sessions().mediaReportedLive(session);
        JsonNode complaint = register(secretary, session, "COMPLAINT");
        register(secretary, session, "COMPLAINT");
        register(secretary, session, "DENUNCIATION");
        long id = complaint.get("id").asLong();
        TestServer.Response accepted = t.json("POST", "/api/v1/petitions/" + id + "/status", secretary,
                Map.of("status", "ACCEPTED", "version", complaint.get("version").asLong()));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

        String metrics = scrape();
        assertThat(petitions(metrics, "COMPLAINT", "RECEIVED")).isEqualTo(1.0);
        assertThat(petitions(metrics, "COMPLAINT", "ACCEPTED")).isEqualTo(1.0);
        assertThat(petitions(metrics, "DENUNCIATION", "RECEIVED")).isEqualTo(1.0);
        assertThat(petitions(metrics, "DENUNCIATION", "ACCEPTED")).isEqualTo(0.0);
        assertThat(gauge(metrics, "reception_api_petitions_overdue")).isEqualTo(0.0);

        // The day after the earliest of the three next deadlines, that petition (and any other due by then) is overdue.
        List<LocalDate> due = t.get("/api/v1/sessions/" + session + "/petitions", secretary).json().get("petitions")
                .findValuesAsText("nextDueOn").stream().map(LocalDate::parse).sorted().toList();
        assertThat(due).hasSize(3);
        LocalDate dayAfterFirst = due.get(0).plusDays(1);
        t.clock.advance(Duration.between(t.clock.instant(), dayAfterFirst.atStartOfDay(VN).toInstant()));
        long overdueThen = due.stream().filter(d -> d.isBefore(dayAfterFirst)).count();
        assertThat(gauge(scrape(), "reception_api_petitions_overdue")).isEqualTo((double) overdueThen);
        t.clock.advance(Duration.between(t.clock.instant(), due.get(2).plusDays(1).atStartOfDay(VN).toInstant()));
        assertThat(gauge(scrape(), "reception_api_petitions_overdue")).isEqualTo(3.0);
    }

    private JsonNode register(String secretary, long session, String kind) {
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", secretary, Map.of(
                "kind", kind, "originRoomCode", ROOM, "summary", "Nội dung " + kind,
                "petitioners", List.of(Map.of("name", "Nguyễn Văn An", "idNumber", "012345678989", "address", "Tổ 5, Bãi Cháy"))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /**
     * /metrics after a GC and after the gauges' cache age has passed on the server's clock, so the
     * values read are those of the database now.
     */
    private String scrape() {
        System.gc();
        t.clock.advance(DomainMetrics.MAX_AGE);
        TestServer.Response r = t.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static double petitions(String metrics, String kind, String status) {
        return value(metrics, "reception_api_petitions{kind=\"" + kind + "\",status=\"" + status + "\"}");
    }

    private static double gauge(String metrics, String name) {
        return value(metrics, name);
    }

    /** The sample of the exposition line that starts with {@code series} exactly (name and labels). */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(series + " on /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
