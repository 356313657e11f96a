package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.citizenreception.client.ClientGroup;
import org.citizenreception.client.PeerOptions;
import org.citizenreception.client.Publisher;
import org.citizenreception.client.Viewer;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rooms joining at once, each with its own token over real WHEP and UDP against a real SQLite file:
 * the audit entries of their POSTs are written together ({@code BatchedAuditRecorder}), and none
 * may be missing. Every answered join's {@code media.watch} entry is committed by the time its
 * client has the answer, every connected room's attendance follows, and the chain verifies.
 */
class ConcurrentWhepJoinsTest {
    private static final List<String> ROOMS = List.of("QN25-AN-SINH", "QN25-DONG-TRIEU", "QN25-BINH-KHE", "QN25-MAO-KHE",
            "QN25-HOANG-QUE", "QN25-YEN-TU", "QN25-VANG-DANH", "QN25-UONG-BI");
    private static final Duration WITHIN = Duration.ofSeconds(90);
    /** media-client's default 20 s to find an ICE pair was too short at load 25 on 2 cores. */
    private static final int PATIENT_CONNECT_MILLIS = 60_000;

    @TempDir
    static Path dir;
    static TestServer t;
    static ClientGroup peers;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, TestServer.TESTS_FROM_ONE_ADDRESS.toArray(String[]::new));
        peers = ClientGroup.create(1, 1);
    }

    @AfterAll
    static void stop() {
        peers.close();
        t.close();
    }

    @Test
    void everyJoinOfRoomsArrivingTogetherHasItsAuditEntryWhenAnsweredAndItsAttendanceOnceConnected() throws Exception {
        long session = t.scheduleOnlineSession("Phiên nhiều phòng vào cùng lúc", "QN-VP", ROOMS);
        Publisher publisher = peers.publisher(PeerOptions.defaults().connectTimeoutMillis(PATIENT_CONNECT_MILLIS).videoBitrateBps(300_000));
        publisher.connect(Signaller.http(t.uri("/whip/" + session), t.joinToken(session, "QN-VP"))).get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        List<String> tokens = ROOMS.stream().map(room -> t.joinToken(session, room)).toList();

        List<Viewer> viewers = new ArrayList<>();
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String token : tokens) {
            Viewer viewer = peers.viewer(PeerOptions.defaults().connectTimeoutMillis(PATIENT_CONNECT_MILLIS));
            viewers.add(viewer);
            joins.add(viewer.connect(Signaller.http(t.uri("/whep/" + session), token)));
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        Conference conference = t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow();
        Set<String> viewerEndpoints = conference.endpoints().stream().filter(e -> !e.isPublisher()).map(Endpoint::id)
                .collect(Collectors.toSet());
        assertThat(viewerEndpoints).hasSize(ROOMS.size());
        // connected implies answered: each answer waited for its entry's commit, so no polling here
        assertThat(endpointsIn("SELECT " + DETAIL_ENDPOINT + " FROM audit_log WHERE action = 'media.watch'"
                + " AND entity_type = 'session' AND entity_id = ?", String.valueOf(session))).containsAll(viewerEndpoints);

        waitUntil(() -> endpointsIn("SELECT endpoint_id FROM attendance_events WHERE session_id = ? AND kind = 'CONNECT'",
                session).containsAll(viewerEndpoints), "every room's connection is in attendance");
        assertThat(endpointsIn("SELECT " + DETAIL_ENDPOINT + " FROM audit_log WHERE action = 'attendance.connect'"
                + " AND entity_id = ?", String.valueOf(session))).containsAll(viewerEndpoints);
        assertThat(t.server.services().audit().verify().valid()).isTrue();

        viewers.forEach(Viewer::close);
        publisher.close();
    }

    /** The audit detail's endpoint field in the dialect of the store the run uses. */
    private static final String DETAIL_ENDPOINT = TestStore.postgresql() ? "CAST(detail AS json) ->> 'endpoint'"
            : "json_extract(detail, '$.endpoint')";

    /** @param session the session's id as the queried column holds it: a number (session_id) or text (the audit's entity_id) */
    private static Set<String> endpointsIn(String sql, Object session) {
        try (Connection c = t.server.database().unpooledConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, session);
            Set<String> endpoints = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    endpoints.add(rs.getString(1));
                }
            }
            return endpoints;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("not within " + WITHIN.toSeconds() + " s: " + what);
            }
            Thread.sleep(20); // polling a condition, not timing
        }
    }
}
