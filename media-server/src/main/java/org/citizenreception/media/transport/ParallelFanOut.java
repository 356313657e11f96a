package org.citizenreception.media.transport;

import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the event loop share one packet's fan-out with helper threads, one per further core: the
 * list is cut into equal runs, the helpers take the later runs while the event loop does the
 * first, and the event loop waits for them before it goes on. A 200-viewer fan-out (~1.2 ms of
 * copy + encrypt on one core) then holds the next packet back for half that on two cores.
 *
 * <p>Confinement is kept: every item is touched by one thread, and the event loop does nothing
 * else until the helpers are done ({@link Future#get} orders their writes before its next step),
 * so per-viewer state (rewriter, SRTP contexts) never sees two threads at once. Datagrams a helper
 * sends are held by its {@link FanOutThread} and written by the event loop after the wait; their
 * ownership passes to the held list and then to the channel, as with any send.
 */
final class ParallelFanOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParallelFanOut.class);
    /** Below this many items per thread the hand-off (~10-20 µs) costs more than it saves. */
    static final int MIN_ITEMS_PER_THREAD = 16;

    private final ExecutorService[] helpers;

    ParallelFanOut(int helperThreads) {
        helpers = new ExecutorService[helperThreads];
        for (int i = 0; i < helperThreads; i++) {
            String name = "media-fanout-" + (i + 1);
            helpers[i] = Executors.newSingleThreadExecutor(r -> new FanOutThread(r, name));
        }
    }

    /** Event loop: runs {@code action} on every item; {@code writeHeld} writes what a helper sent. */
    <T> void forEach(List<T> items, Consumer<? super T> action, Consumer<List<DatagramPacket>> writeHeld) {
        int threads = Math.min(helpers.length + 1, items.size() / MIN_ITEMS_PER_THREAD);
        if (threads <= 1) {
            items.forEach(action);
            return;
        }
        Object[] snapshot = items.toArray();
        @SuppressWarnings("unchecked")
        Future<FanOutThread>[] running = new Future[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = snapshot.length * t / threads;
            int to = snapshot.length * (t + 1) / threads;
            running[t - 1] = helpers[t - 1].submit(() -> {
                run(snapshot, from, to, action);
                return (FanOutThread) Thread.currentThread();
            });
        }
        run(snapshot, 0, snapshot.length / threads, action);
        for (Future<FanOutThread> helper : running) {
            try {
                FanOutThread thread = helper.get();
                writeHeld.accept(thread.held);
                thread.held.clear();
            } catch (ExecutionException e) {
                log.warn("fan-out helper failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void run(Object[] items, int from, int to, Consumer<? super T> action) {
        for (int i = from; i < to; i++) {
            try {
                action.accept((T) items[i]);
            } catch (RuntimeException e) {
                // one viewer's bug must not cost the others their packet
                log.warn("fan-out to one receiver failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (ExecutorService helper : helpers) {
            helper.shutdownNow();
        }
    }

    /** A helper thread; what it sends waits in {@link #held} for the event loop. */
    static final class FanOutThread extends Thread {
        final List<DatagramPacket> held = new ArrayList<>();

        FanOutThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }
}
