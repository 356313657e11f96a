package org.citizenreception.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TimedWorkMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's two periodic tasks, each one timer for every endpoint of every conference (never a
 * timer per viewer): the 1 s tick (consent, interruption, reports to publishers and viewers,
 * stats) and the 100 ms fast tick (a publisher's transport-cc feedback and NACKs, owed keyframe
 * requests, the dominant speaker). Both run on the transport's event loop, so the endpoints' state
 * needs no lock, and each run's CPU time is counted on /metrics ({@link TimedWorkMeter}).
 *
 * <p>They run only while a conference exists: an idle bridge (most of a day between sessions)
 * leaves its event loop parked instead of waking it eleven times a second for nothing.
 */
final class BridgeTimers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeTimers.class);
    static final long TICK_MILLIS = 1_000;
    static final long FAST_TICK_MILLIS = 100;

    private final ScheduledExecutorService eventLoop;
    private final Runnable tick;
    private final Runnable fastTick;
    /** Guarded by {@code this}: both null while stopped. */
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> fastTicker;
    private boolean closed;

    BridgeTimers(ScheduledExecutorService eventLoop, MediaMetrics metrics, Runnable tick, Runnable fastTick) {
        this.eventLoop = eventLoop;
        this.tick = metered(metrics.timedWork("tick"), tick);
        this.fastTick = metered(metrics.timedWork("fast_tick"), fastTick);
    }

    /**
     * Counts the event loop's CPU time, not wall time: on a loaded machine a run's wall time holds
     * the time the thread waited for a core, which would make the timers look ten times dearer.
     * Two thread-clock reads a run, eleven runs a second.
     */
    private static Runnable metered(TimedWorkMeter meter, Runnable task) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LongSupplier cpuNanos = threads.isCurrentThreadCpuTimeSupported() ? threads::getCurrentThreadCpuTime : System::nanoTime;
        return () -> {
            long started = cpuNanos.getAsLong();
            try {
                task.run();
            } catch (RuntimeException e) {
                // a task that throws would never be scheduled again: every endpoint would lose its reports
                log.warn("media bridge {} failed", meter.task(), e);
            } finally {
                meter.ran(cpuNanos.getAsLong() - started);
            }
        };
    }

    /** Starts both timers unless they run (or the bridge is closed). Call after adding a conference. */
    synchronized void start() {
        if (closed || ticker != null) {
            return;
        }
        ticker = eventLoop.scheduleAtFixedRate(tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        fastTicker = eventLoop.scheduleAtFixedRate(fastTick, FAST_TICK_MILLIS, FAST_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops both timers when {@code idle} holds, checked under the same lock {@link #start} takes:
     * a conference added meanwhile either is seen here or starts the timers again after.
     */
    synchronized void stopIf(BooleanSupplier idle) {
        if (ticker != null && idle.getAsBoolean()) {
            cancel();
        }
    }

    synchronized boolean isRunning() {
        return ticker != null;
    }

    private void cancel() {
        ticker.cancel(false);
        fastTicker.cancel(false);
        ticker = null;
        fastTicker = null;
    }

    /** Idempotent; the timers never start again. */
    @Override
    public synchronized void close() {
        closed = true;
        if (ticker != null) {
            cancel();
        }
    }
}
