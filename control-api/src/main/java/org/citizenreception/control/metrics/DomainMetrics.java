package org.citizenreception.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.citizenreception.control.attendance.AttendanceService;
import org.citizenreception.control.petition.PetitionKind;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.petition.PetitionStatus;
import org.citizenreception.control.session.SessionRepository;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;

/**
 * Gauges of the domain ({@code reception_api_…}): live sessions, connected rooms, petitions by kind
 * and status, overdue petitions. Each is a COUNT query, cached for {@link #MAX_AGE} so that a
 * scrape (or several scrapers) costs at most a handful of indexed queries every few seconds.
 * Tags are bounded enums only: never a petition, session or room id.
 *
 * <p>Every gauge holds its {@link Cached} strongly: Micrometer keeps a gauge's state object only
 * weakly by default, and nothing else references these, so the first GC turned them all into NaN.
 */
public final class DomainMetrics {
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private DomainMetrics() {
    }

    public static void register(MeterRegistry registry, Clock clock, Database database, SessionRepository sessions,
                                AttendanceService attendance, PetitionService petitions) {
        Cached<Long> live = new Cached<>(clock, () -> Transactions.read(database, c -> sessions.countInState(c, SessionState.LIVE)));
        Cached<Long> rooms = new Cached<>(clock, attendance::connectedRooms);
        Cached<Map<String, Long>> byKind = new Cached<>(clock, petitions::countsByKindAndStatus);
        Cached<Long> overdue = new Cached<>(clock, petitions::overdueCount);
        Gauge.builder("reception_api_sessions_live", live, c -> c.get()).strongReference(true)
                .description("Reception sessions now LIVE").register(registry);
        Gauge.builder("reception_api_rooms_connected", rooms, c -> c.get()).strongReference(true)
                .description("Rooms with at least one endpoint connected to a live session").register(registry);
        Gauge.builder("reception_api_petitions_overdue", overdue, c -> c.get()).strongReference(true)
                .description("Petitions whose next statutory deadline has passed").register(registry);
        for (PetitionKind kind : PetitionKind.values()) {
            for (PetitionStatus status : PetitionStatus.values()) {
                String key = kind + "/" + status;
                Gauge.builder("reception_api_petitions", byKind, c -> c.get().getOrDefault(key, 0L)).strongReference(true)
                        .tag("kind", kind.name()).tag("status", status.name())
                        .description("Petitions in the register by kind and status").register(registry);
            }
        }
    }

    /** A value recomputed at most every {@link #MAX_AGE}; a failed recomputation keeps the last value. */
    static final class Cached<T> {
        private final Clock clock;
        private final Supplier<T> source;
        private T value;
        private long computedAtMillis = Long.MIN_VALUE;

        Cached(Clock clock, Supplier<T> source) {
            this.clock = clock;
            this.source = source;
        }

        synchronized T get() {
            long now = clock.millis();
            if (value == null || now - computedAtMillis >= MAX_AGE.toMillis()) {
                try {
                    value = source.get();
                    computedAtMillis = now;
                } catch (RuntimeException e) {
                    if (value == null) {
                        throw e;
                    }
                }
            }
            return value;
        }
    }
}
