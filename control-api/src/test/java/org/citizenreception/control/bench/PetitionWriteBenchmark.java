package org.citizenreception.control.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;

/**
 * Not a test: {@code mvn -pl control-api exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.citizenreception.control.bench.PetitionWriteBenchmark}. Fifty secretaries
 * each register a petition and annotate it, over and over, against a real server and SQLite file;
 * prints p50/p99 write latency and throughput.
 *
 * <p>Arguments: {@code [secretaries=50] [rounds=20] [thinkMillis=0]}. With 0 every secretary writes
 * again the moment the last write returns (a closed loop that measures saturation: latency is then
 * secretaries ÷ throughput). A positive {@code thinkMillis} waits a random 0.5–1.5 × that long
 * before each write, as secretaries typing between saves do, and measures the latency they feel.
 */
public final class PetitionWriteBenchmark {
    private PetitionWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int secretaries = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long thinkMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path dir = Files.createTempDirectory("petition-bench");
        try (TestServer t = TestServer.start(dir)) {
            t.createUser("bench.host", Role.HOST, null);
            String host = t.token("bench.host", TestServer.passwordOf("bench.host"));
            Instant start = t.clock.instant();
            long session = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Bench", "scheduledStart", start.toString(),
                    "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP"))
                    .json().get("id").asLong();
            t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE"));
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < secretaries; i++) {
                t.createUser("bench.sec." + i, Role.SECRETARY, null);
                tokens.add(t.token("bench.sec." + i, TestServer.passwordOf("bench.sec." + i)));
            }
            List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(secretaries);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(secretaries);
            for (String token : tokens) {
                pool.submit(() -> {
                    try {
                        go.await();
                        for (int r = 0; r < rounds; r++) {
                            think(thinkMillis);
                            long t0 = System.nanoTime();
                            TestServer.Response p = t.json("POST", "/api/v1/sessions/" + session + "/petitions", token, Map.of(
                                    "kind", "COMPLAINT", "summary", "Khiếu nại số " + r,
                                    "petitioners", List.of(Map.of("name", "Nguyễn Văn An", "address", "Hạ Long"))));
                            latenciesMicros.add((System.nanoTime() - t0) / 1000);
                            long id = p.json().get("id").asLong();
                            think(thinkMillis);
                            long t1 = System.nanoTime();
                            t.json("POST", "/api/v1/petitions/" + id + "/annotations", token, Map.of("text", "Ghi chú", "version", 1));
                            latenciesMicros.add((System.nanoTime() - t1) / 1000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            long began = System.nanoTime();
            go.countDown();
            done.await();
            double seconds = (System.nanoTime() - began) / 1e9;
            pool.shutdown();
            List<Long> sorted = new ArrayList<>(latenciesMicros);
            Collections.sort(sorted);
            System.out.printf("%d secretaries x %d rounds, think %d ms: %d writes in %.1f s = %.0f writes/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    secretaries, rounds, thinkMillis, sorted.size(), seconds, sorted.size() / seconds, sorted.get(sorted.size() / 2) / 1000.0,
                    sorted.get((int) (sorted.size() * 0.99)) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
        }
    }

    private static void think(long meanMillis) throws InterruptedException {
        if (meanMillis > 0) {
            Thread.sleep(meanMillis / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(meanMillis + 1));
        }
    }
}
