package org.citizenreception.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.citizenreception.control.testing.EventsClient;
import org.citizenreception.control.testing.RoleMatrix.Caller;
import org.citizenreception.control.testing.RoleMatrix.Fixture;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A denunciation in the register export ({@code petitions.csv}, masked and {@code unmasked=true})
 * and on the events socket, as every caller of the access matrix gets it (LTC Art. 9: the commune
 * staff watching may be the people denounced). Rooms — operators and join tokens, of this room or
 * another, of this session or another — and staff of another unit see neither the content nor the
 * denouncer; the session's own staff see the content with the denouncer masked (no family name, no
 * ID digits) unless they explicitly ask for the unmasked export, which is audited elsewhere.
 */
class DenunciationMaskingTest {
    static final String DENOUNCER = "Phạm Văn Tố";
    static final String DENOUNCER_ID = "022087001234";
    static final String ACCUSATION = "Cán bộ địa chính xã nhận tiền để cấp sổ đỏ";
    /** What reveals the denouncer: the family name, the given names, the ID number or any run of its digits. */
    static final List<String> IDENTITY = List.of("Phạm", "Văn Tố", DENOUNCER_ID, "022087", "001234");
    /** Callers that see the content of a petition of this session (the session's staff). */
    static final Set<Caller> CONTENT_ALLOWED = EnumSet.of(Caller.ADMIN, Caller.HOST, Caller.SECRETARY);

    @TempDir
    static Path dir;
    static TestServer t;
    static Fixture f;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
        f = new Fixture(t, RoleMatrixTest.ROOM_A, RoleMatrixTest.ROOM_B);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void aDenunciationStaysMaskedOnTheEventsSocketForEveryRole() throws Exception {
        long session = f.liveSession();
        Map<Caller, EventsClient> sockets = new EnumMap<>(Caller.class);
        List<String> leaks = new ArrayList<>();
        try {
            for (Caller caller : Caller.values()) {
                String token = caller == Caller.ANONYMOUS ? "" : f.token(caller, false);
                sockets.put(caller, EventsClient.openUri(URI.create("ws://127.0.0.1:" + t.server.httpPort() + "/api/v1/sessions/"
                        + session + "/events"), token));
            }
            Map<Caller, Boolean> admitted = new EnumMap<>(Caller.class);
            for (Map.Entry<Caller, EventsClient> s : sockets.entrySet()) {
                admitted.put(s.getKey(), subscribedOrClosed(s.getValue()));
            }
            assertThat(admitted).as("who hears the session at all (the access matrix decides; here only what they hear)")
                    .containsValue(true);
            registerDenunciation(session);
            // An event every subscriber gets, after the petition's: once a socket has it, it has had all it will of the petition.
            assertThat(t.json("PUT", "/api/v1/sessions/" + session + "/rooms/" + f.roomA + "/citizens", f.token(Caller.HOST, false),
                    Map.of("citizens", 3)).status()).isEqualTo(200);
            Set<Caller> heardThePetition = EnumSet.noneOf(Caller.class);
            for (Map.Entry<Caller, EventsClient> s : sockets.entrySet()) {
                if (!admitted.get(s.getKey())) {
                    assertThat(s.getValue().messages).as(s.getKey() + " was refused: hears nothing").isEmpty();
                    continue;
                }
                for (JsonNode m : untilBarrier(s.getValue())) {
                    if (m.get("type").asText().startsWith("petition.")) {
                        heardThePetition.add(s.getKey());
                    }
                    leaks.addAll(leaks(s.getKey() + " on the socket", m.toString(), !CONTENT_ALLOWED.contains(s.getKey())));
                }
            }
            assertThat(heardThePetition).as("the staff and room A hear of it (what they hear is checked)")
                    .contains(Caller.HOST, Caller.SECRETARY, Caller.ADMIN, Caller.OPERATOR_OWN_ROOM, Caller.ROOM_TOKEN_OWN);
        } finally {
            sockets.values().forEach(EventsClient::close);
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aDenunciationStaysMaskedInTheRegisterExportForEveryRole() {
        registerDenunciation(f.liveSession());
        List<String> leaks = new ArrayList<>();
        Map<Caller, Integer> statuses = new LinkedHashMap<>();
        for (Caller caller : Caller.values()) {
            TestServer.Response masked = t.get("/api/v1/petitions.csv", f.token(caller, false));
            statuses.put(caller, masked.status());
            if (masked.status() == 200) {
                if (CONTENT_ALLOWED.contains(caller)) {
                    assertThat(masked.body()).as(caller + " sees the content of its own session's denunciation").contains(ACCUSATION);
                }
                leaks.addAll(leaks(caller + " in petitions.csv", masked.body(), !CONTENT_ALLOWED.contains(caller)));
            }
            TestServer.Response unmasked = t.get("/api/v1/petitions.csv?unmasked=true", f.token(caller, false));
            if (unmasked.status() == 200 && !CONTENT_ALLOWED.contains(caller)) {
                leaks.addAll(leaks(caller + " in petitions.csv?unmasked=true", unmasked.body(), true));
            }
        }
        assertThat(statuses).as("the session's staff export the register").containsEntry(Caller.ADMIN, 200)
                .containsEntry(Caller.HOST, 200).containsEntry(Caller.SECRETARY, 200);
        assertThat(leaks).isEmpty();
    }

    private static List<String> leaks(String where, String text, boolean contentToo) {
        List<String> found = new ArrayList<>();
        for (String s : IDENTITY) {
            if (text.contains(s)) {
                found.add(where + " shows the denouncer (" + s + ")");
            }
        }
        if (contentToo && text.contains(ACCUSATION)) {
            found.add(where + " shows the denunciation's content");
        }
        return found;
    }

    private static void registerDenunciation(long session) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "DENUNCIATION");
        p.put("originRoomCode", f.roomA);
        p.put("summary", ACCUSATION);
        p.put("petitioners", List.of(Map.of("name", DENOUNCER, "idNumber", DENOUNCER_ID, "address", "Bãi Cháy, Hạ Long")));
        TestServer.Response r = t.json("POST", "/api/v1/sessions/" + session + "/petitions", f.token(Caller.HOST, false), p);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** True on the subscribed greeting, false on a close; fails after 10 s of neither. */
    private static boolean subscribedOrClosed(EventsClient c) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode first = c.messages.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (first != null) {
                assertThat(first.get("type").asText()).isEqualTo("subscribed");
                return true;
            }
            if (!c.closed.isEmpty()) {
                return false;
            }
        }
        throw new AssertionError("neither subscribed nor closed within 10 s");
    }

    /** Every message up to and including the barrier event ({@code attendance.citizens}). */
    private static List<JsonNode> untilBarrier(EventsClient c) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode m = c.next();
            out.add(m);
            if (m.get("type").asText().equals("attendance.citizens")) {
                return out;
            }
        }
    }
}
