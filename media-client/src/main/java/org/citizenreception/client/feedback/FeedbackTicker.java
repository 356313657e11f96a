package org.citizenreception.client.feedback;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One periodic task per event loop that drives the feedback of every viewer on that loop, instead
 * of several scheduled tasks per viewer: with 200 viewers, per-viewer timers meant ~2,000 entries in
 * the loops' scheduled-task heaps and a wake-up for each; here each loop wakes every
 * {@value #TICK_MILLIS} ms and each viewer compares a few deadlines. A hashed wheel would skip
 * viewers with nothing due, but at these counts one pass over an array list costs less than
 * hashing each deadline into a slot.
 */
public final class FeedbackTicker implements AutoCloseable {
    /** libwebrtc's NACK process interval; TWCC feedback (50 ms) and reports (1 s, 5 s) are multiples. */
    public static final long TICK_MILLIS = 10;

    /** Something with deadlines; called on its event loop. */
    public interface Tickable {
        void tick(long nowNanos);
    }

    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final class Loop {
        final List<Tickable> members = new ArrayList<>();
        ScheduledFuture<?> task;
    }

    /** Adds {@code member} to its loop's pass; call on that loop. */
    public void add(EventLoop loop, Tickable member) {
        if (closed) {
            return;
        }
        Loop l = loops.computeIfAbsent(loop, k -> new Loop());
        l.members.add(member);
        if (l.task == null) {
            l.task = loop.scheduleAtFixedRate(() -> run(l), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Removes {@code member}; call on its loop. */
    public void remove(EventLoop loop, Tickable member) {
        Loop l = loops.get(loop);
        if (l != null) {
            l.members.remove(member);
        }
    }

    private static void run(Loop l) {
        long now = System.nanoTime();
        for (int i = 0; i < l.members.size(); i++) {
            l.members.get(i).tick(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Loop l : loops.values()) {
            if (l.task != null) {
                l.task.cancel(false);
            }
        }
    }
}
