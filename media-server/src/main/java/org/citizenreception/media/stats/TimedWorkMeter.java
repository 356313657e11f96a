package org.citizenreception.media.stats;

/**
 * What one periodic task of the bridge costs: how often it ran and the CPU time it took, so a profile
 * can set the timed work against the packets forwarded in the same window (at 25 viewers, every
 * millisecond per second spent here adds about 0.1 µs to each forwarded packet).
 *
 * <p>One writer (the event loop that runs the task), racy readers (the /metrics scrape): volatile
 * fields are enough, and a scrape may see a run's count without its time, never a torn value.
 */
public final class TimedWorkMeter {
    private final String task;
    private volatile long runs;
    private volatile long nanos;

    TimedWorkMeter(String task) {
        this.task = task;
    }

    public String task() {
        return task;
    }

    /** One run of the task that took {@code cpuNanos} of its thread's CPU time. Its own thread only. */
    public void ran(long cpuNanos) {
        runs++;
        nanos += cpuNanos;
    }

    public long runs() {
        return runs;
    }

    public long nanos() {
        return nanos;
    }
}
