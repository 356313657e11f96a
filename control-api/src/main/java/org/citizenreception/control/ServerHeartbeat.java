package org.citizenreception.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the time into {@code <data.dir>/heartbeat} every few seconds while the server runs, so
 * that the next start knows when a process that died without a word was last alive: a session it
 * left LIVE is marked interrupted as of then, and its rooms' attendance closes then, showing the
 * outage as a gap rather than as presence. The file is replaced atomically (a crash mid-write
 * leaves the previous beat) and not fsynced: being a few seconds early after a power cut is fine.
 */
final class ServerHeartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerHeartbeat.class);
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });

    ServerHeartbeat(Path dataDir, Clock clock) {
        this.file = dataDir.resolve("heartbeat");
        this.clock = clock;
    }

    /** The last beat of the previous process, if it left one that reads as a time. */
    Optional<Instant> previousBeat() {
        try {
            return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    void start() {
        beat();
        timer.scheduleAtFixedRate(this::beat, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        Path next = file.resolveSibling("heartbeat.next");
        try {
            Files.writeString(next, clock.instant().toString(), StandardCharsets.US_ASCII);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("heartbeat {} not written: {}", file, e.toString());
        }
    }

    /** A clean stop beats once more, so the time is exact when the next start finds a session still LIVE. */
    @Override
    public void close() {
        timer.shutdownNow();
        beat();
    }
}
