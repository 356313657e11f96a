package org.citizenreception.control.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients writing at once through HTTP: every write succeeds (no SQLITE_BUSY), every one audited. */
class ConcurrentApiWritesTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWritesAllSucceedAndTheAuditChainStaysIntact() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            String token = t.adminToken();
            long auditBefore = t.count("audit_log");
            int clients = 8;
            int perClient = 20;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        statuses.add(t.json("POST", "/api/v1/rooms", token, "{\"code\":\"C" + client + "-" + i
                                + "\",\"name\":\"Phòng " + i + "\",\"level\":\"WARD\",\"parentCode\":\"QN-VP\"}").status());
                        statuses.add(t.get("/api/v1/rooms/C" + client + "-" + i, token).status());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> f : results) {
                assertThat(f.get()).allMatch(s -> s == 200 || s == 201);
            }
            pool.shutdown();
            assertThat(t.count("rooms")).isEqualTo(55 + clients * perClient);
            assertThat(t.count("audit_log")).isEqualTo(auditBefore + clients * perClient);
            assertThat(t.server.services().audit().verify().valid()).isTrue();
        }
    }
}
