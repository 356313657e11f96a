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
import org.citizenreception.control.testing.PostgresCluster;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.identity.Role;

/**
 * Not a test: {@code mvn -pl control-api exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.citizenreception.control.bench.PetitionWriteBenchmark}. Fifty secretaries
 * each register a petition and annotate it, over and over, against a real server and SQLite file;
 * prints p50/p99 write latency and throughput.
 *
 * <p>Arguments: {@code [secretaries=50] [rounds=20] [thinkMillis=0] [instances]}. With 0 every secretary writes
 * again the moment the last write returns (a closed loop that measures saturation: latency is then
 * secretaries ÷ throughput). A positive {@code thinkMillis} waits a random 0.5–1.5 × that long
 * before each write, as secretaries typing between saves do, and measures the latency they feel.
 * With {@code instances} (e.g. {@code 1,2,1,2}) it runs once per count on a fresh database of the
 * test PostgreSQL cluster, the secretaries spread over that many control-api instances, whose writers
 * take turns on one advisory lock: what a second instance costs or gains, measured A/B under the same
 * load. (The test cluster runs with fsync off, in memory: compare the runs, not with the SQLite figures.)
 */
public final class PetitionWriteBenchmark {
    private PetitionWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int secretaries = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long thinkMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        if (args.length <= 3) {
            Path dir = Files.createTempDirectory("petition-bench");
            try (TestServer t = TestServer.start(dir)) {
                run(List.of(t), secretaries, rounds, thinkMillis);
            }
            return;
        }
        // Instance counts to run in turn on PostgreSQL, e.g. "1,2,1,2": A/B interleaved under the same machine load.
        int run = 0;
        for (String count : args[3].split(",")) {
            int instances = Integer.parseInt(count.trim());
            String database = PostgresCluster.get().database("petition_bench_" + (run++));
            Path dir = Files.createTempDirectory("petition-bench");
            List<TestServer> servers = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    Path own = dir.resolve("instance-" + i);
                    if (i > 0) {
                        copyKeys(dir.resolve("instance-0/data/keys"), own.resolve("data/keys"));
                    }
                    servers.add(TestServer.start(own, "--store.url=" + database));
                }
                System.out.print(instances + " instance(s) on one PostgreSQL: ");
                run(servers, secretaries, rounds, thinkMillis);
            } finally {
                servers.forEach(TestServer::close);
            }
        }
    }

    /** Both instances sign one audit chain: the keys are shared, as a deployment of several instances must. */
    private static void copyKeys(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var keys = Files.list(from)) {
            for (Path key : keys.toList()) {
                Files.copy(key, to.resolve(key.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** The secretaries take the instances in turn (as a load balancer would spread them); the first instance sets up. */
    private static void run(List<TestServer> servers, int secretaries, int rounds, long thinkMillis) throws Exception {
        TestServer t = servers.get(0);
        t.createUser("bench.host", Role.HOST, null);
        String host = t.token("bench.host", TestServer.passwordOf("bench.host"));
        Instant start = t.clock.instant();
        long session = t.json("POST", "/api/v1/sessions", host, Map.of("title", "Bench", "scheduledStart", start.toString(),
                "scheduledEnd", start.plus(Duration.ofHours(2)).toString(), "presidingOfficial", "Chủ tịch", "hostRoomCode", "QN-VP"))
                .json().get("id").asLong();
        t.json("POST", "/api/v1/sessions/" + session + "/state", host, Map.of("state", "LIVE"));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < secretaries; i++) {
            TestServer own = servers.get(i % servers.size());
            t.createUser("bench.sec." + i, Role.SECRETARY, null);
            tokens.add(own.token("bench.sec." + i, TestServer.passwordOf("bench.sec." + i)));
        }
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(secretaries);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(secretaries);
        for (int i = 0; i < secretaries; i++) {
            String token = tokens.get(i);
            TestServer own = servers.get(i % servers.size());
            pool.submit(() -> {
                try {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        think(thinkMillis);
                        long t0 = System.nanoTime();
                        TestServer.Response p = own.json("POST", "/api/v1/sessions/" + session + "/petitions", token, Map.of(
                                "kind", "COMPLAINT", "summary", "Khiếu nại số " + r,
                                "petitioners", List.of(Map.of("name", "Nguyễn Văn An", "address", "Hạ Long"))));
                        latenciesMicros.add((System.nanoTime() - t0) / 1000);
                        if (p.status() != 201) {
                            failures.add(p.status() + " " + p.body());
                            continue;
                        }
                        long id = p.json().get("id").asLong();
                        think(thinkMillis);
                        long t1 = System.nanoTime();
                        TestServer.Response a = own.json("POST", "/api/v1/petitions/" + id + "/annotations", token,
                                Map.of("text", "Ghi chú", "version", 1));
                        latenciesMicros.add((System.nanoTime() - t1) / 1000);
                        if (a.status() >= 300) {
                            failures.add(a.status() + " " + a.body());
                        }
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
        System.out.printf("%d secretaries x %d rounds, think %d ms: %d writes in %.1f s = %.0f writes/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " %d failed; audit chain valid: %s%n",
                secretaries, rounds, thinkMillis, sorted.size(), seconds, sorted.size() / seconds, sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) (sorted.size() * 0.99)) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0, failures.size(),
                t.get("/api/v1/audit/verify", t.adminToken()).json().get("valid").asBoolean());
        failures.stream().limit(3).forEach(f -> System.out.println("  failed: " + f));
    }

    private static void think(long meanMillis) throws InterruptedException {
        if (meanMillis > 0) {
            Thread.sleep(meanMillis / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(meanMillis + 1));
        }
    }
}
