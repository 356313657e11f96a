package org.citizenreception.media.transport;

import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the event loop share one packet's fan-out with helper threads: the list is cut into equal
 * runs, the helpers take the later runs while the event loop does the first, and the event loop
 * waits for them before it goes on. This shortens one packet's fan-out; it never lowers its CPU,
 * which the hand-off (a wake-up and a wait per helper per packet) adds to, so on a machine whose
 * cores are busy anyway it loses (see {@code UdpTransport.FANOUT_HELPERS_PROPERTY}).
 *
 * <p>Allocation-free per packet: the items are copied into an array kept between packets, and each
 * helper is handed its run through its own fields (no task object, no future).
 *
 * <p>Confinement is kept: every item is touched by one thread, and the event loop does nothing
 * else until the helpers are done (the volatile {@code pending} flag orders their writes before its
 * next step), so per-viewer state (rewriter, SRTP contexts) never sees two threads at once.
 * Datagrams a helper sends are held by its {@link FanOutThread} and written by the event loop after
 * the wait; their ownership passes to the held list and then to the channel, as with any send.
 */
final class ParallelFanOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParallelFanOut.class);
    /** Below this many items per thread the hand-off (~10-20 µs) costs more than it saves. */
    static final int MIN_ITEMS_PER_THREAD = 16;

    private final FanOutThread[] helpers;
    /** Event loop only: the items of the fan-out in hand, kept between packets. */
    private Object[] snapshot = new Object[64];

    ParallelFanOut(int helperThreads) {
        helpers = new FanOutThread[helperThreads];
        for (int i = 0; i < helperThreads; i++) {
            helpers[i] = new FanOutThread("media-fanout-" + (i + 1));
            helpers[i].start();
        }
    }

    /** Event loop: runs {@code action} on every item; {@code writeHeld} writes what a helper sent. */
    <T> void forEach(List<T> items, Consumer<? super T> action, Consumer<List<DatagramPacket>> writeHeld) {
        int threads = Math.min(helpers.length + 1, items.size() / MIN_ITEMS_PER_THREAD);
        if (threads <= 1) {
            items.forEach(action);
            return;
        }
        // fills the kept array when the items fit (a null after the last), else returns a new one
        Object[] all = items.toArray(snapshot);
        int count;
        if (all != snapshot) {
            count = all.length;
            snapshot = Arrays.copyOf(all, count * 2); // grows once per new high
        } else {
            count = 0;
            while (count < all.length && all[count] != null) {
                count++;
            }
        }
        Object[] run = snapshot;
        threads = Math.min(threads, Math.max(1, count / MIN_ITEMS_PER_THREAD));
        Thread loop = Thread.currentThread();
        for (int t = 1; t < threads; t++) {
            helpers[t - 1].hand(run, count * t / threads, count * (t + 1) / threads, action, loop);
        }
        runAll(run, 0, count / threads, action);
        for (int t = 1; t < threads; t++) {
            FanOutThread helper = helpers[t - 1];
            helper.awaitDone();
            writeHeld.accept(helper.held);
            helper.held.clear();
        }
        Arrays.fill(run, 0, count, null); // keep no viewer alive from here
    }

    @SuppressWarnings("unchecked")
    private static <T> void runAll(Object[] items, int from, int to, Consumer<? super T> action) {
        for (int i = from; i < to; i++) {
            try {
                action.accept((T) items[i]);
            } catch (RuntimeException e) {
                // one viewer's bug must not cost the others their packet
                log.warn("fan-out to one receiver failed", e);
            }
        }
    }

    /** The helper thread with this index (tests measure it). */
    Thread helper(int index) {
        return helpers[index];
    }

    @Override
    public void close() {
        for (FanOutThread helper : helpers) {
            helper.closed = true;
            LockSupport.unpark(helper);
        }
    }

    /** A helper thread; what it sends waits in {@link #held} for the event loop. */
    static final class FanOutThread extends Thread {
        final List<DatagramPacket> held = new ArrayList<>();
        /** The run handed over; written by the event loop before {@link #pending} is set. */
        private Object[] items;
        private int from;
        private int to;
        private Consumer<?> action;
        private Thread waiter;
        /** Set by the event loop to hand a run over, cleared by this thread when it is done. */
        private volatile boolean pending;
        private volatile boolean closed;

        FanOutThread(String name) {
            super(name);
            setDaemon(true);
        }

        /** Event loop. */
        void hand(Object[] items, int from, int to, Consumer<?> action, Thread waiter) {
            this.items = items;
            this.from = from;
            this.to = to;
            this.action = action;
            this.waiter = waiter;
            pending = true;
            LockSupport.unpark(this);
        }

        /** Event loop: returns once the run handed over is done. */
        void awaitDone() {
            while (pending && !closed) {
                LockSupport.park(this);
            }
        }

        @Override
        public void run() {
            while (!closed) {
                if (!pending) {
                    LockSupport.park(this);
                    continue;
                }
                Thread toWake = waiter;
                try {
                    runAll(items, from, to, action);
                } finally {
                    // even after an Error: the event loop must not wait for this run forever
                    items = null;
                    action = null;
                    pending = false;
                    LockSupport.unpark(toWake);
                }
            }
        }
    }
}
