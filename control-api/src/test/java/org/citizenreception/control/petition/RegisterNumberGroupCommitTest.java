package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.audit.AuditCheckpoints;
import org.citizenreception.control.audit.AuditKey;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations committed in groups (see {@link Transactions}): a registration that fails after it
 * took a number and appended an audit entry gives both back, so the register stays gapless and the
 * audit chain verifies, even when the failure sits between successful members of one group.
 */
class RegisterNumberGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void aRolledBackMemberGivesItsNumberAndAuditEntryBack() throws Exception {
        try (Database database = TestStore.open(dir.resolve("r.db"))) {
            AuditKey key = AuditKey.load(java.util.Optional.empty(), dir.resolve("keys/audit.key"));
            AuditLog audit = new AuditLog(database, Clock.systemUTC(), key,
                    new AuditCheckpoints(dir.resolve("checkpoints.jsonl"), java.util.Optional.empty(), key, Clock.systemUTC()));
            PetitionRepository repository = new PetitionRepository(IdNumberHash.load(dir.resolve("keys/case-history.key")));
            long auditBefore = audit.verify().entries();
            long commitsBefore = database.commits();
            int threads = 12;
            int perThread = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<String> numbers = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        boolean fails = (thread + i) % 3 == 0;
                        try {
                            numbers.add(Transactions.inTransaction(database, c -> {
                                String number = repository.nextRegisterNumber(c, 2026);
                                audit.record(c, null, "127.0.0.1", "petition.create", "petition", number, Map.of("n", number));
                                if (fails) {
                                    throw new IllegalStateException("refused after taking " + number);
                                }
                                return number;
                            }));
                            assertThat(fails).isFalse();
                        } catch (IllegalStateException e) {
                            assertThat(fails).isTrue();
                        }
                    }
                    return numbers;
                }));
            }
            go.countDown();
            List<String> committed = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                committed.addAll(f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
            int failures = 0;
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    failures += (t + i) % 3 == 0 ? 1 : 0;
                }
            }
            int expected = threads * perThread - failures;
            assertThat(committed).hasSize(expected).doesNotHaveDuplicates();
            List<String> gapless = new ArrayList<>();
            for (int n = 1; n <= expected; n++) {
                gapless.add(String.format("2026/%06d", n));
            }
            assertThat(committed).containsExactlyInAnyOrderElementsOf(gapless);
            long last = Transactions.read(database, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT last_number FROM register_counters WHERE year = 2026");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(last).isEqualTo(expected);
            org.citizenreception.control.audit.AuditChain.Verification verification = audit.verify();
            assertThat(verification.valid()).as(String.valueOf(verification.problem())).isTrue();
            assertThat(verification.entries()).isEqualTo(auditBefore + expected);
            assertThat(database.committedWrites()).isGreaterThanOrEqualTo(expected);
            assertThat(database.commits() - commitsBefore).as("groups formed").isLessThan(expected);
        }
    }
}
