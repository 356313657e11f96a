package org.citizenreception.media.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fan-out shared with helper threads: each item once, on one thread, and nothing allocated per packet. */
class ParallelFanOutTest {
    private static final InetSocketAddress VIEWER = new InetSocketAddress("127.0.0.1", 9);
    private final ParallelFanOut fanOut = new ParallelFanOut(1);

    @AfterEach
    void close() {
        fanOut.close();
    }

    /** An item of the fan-out: counts its visits, remembers the thread, "sends" one datagram. */
    static final class Viewer {
        int visits;
        String thread;
    }

    private static final Consumer<Viewer> VISIT = viewer -> {
        viewer.visits++;
        viewer.thread = Thread.currentThread().getName();
        if (Thread.currentThread() instanceof ParallelFanOut.FanOutThread helper) {
            helper.held.add(new DatagramPacket(Unpooled.EMPTY_BUFFER, VIEWER));
        }
    };

    @Test
    void everyItemRunsOnceAndWhatHelpersSentIsWrittenByTheCaller() {
        List<Viewer> viewers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            viewers.add(new Viewer());
        }
        List<DatagramPacket> written = new ArrayList<>();

        fanOut.forEach(viewers, VISIT, written::addAll);

        assertThat(viewers).allSatisfy(viewer -> assertThat(viewer.visits).isEqualTo(1));
        long onHelper = viewers.stream().filter(viewer -> viewer.thread.startsWith("media-fanout-")).count();
        assertThat(onHelper).as("the later half goes to the helper").isEqualTo(50);
        assertThat(written).hasSize(50);
    }

    @Test
    void aListThatGrowsBetweenPacketsIsServedWhole() {
        List<Viewer> viewers = new CopyOnWriteArrayList<>();
        for (int round = 1; round <= 5; round++) {
            for (int i = 0; i < 40 * round; i++) {
                viewers.add(new Viewer());
            }
            fanOut.forEach(viewers, VISIT, held -> { });
            int expectedVisitsOfNewest = 1;
            assertThat(viewers.get(viewers.size() - 1).visits).isEqualTo(expectedVisitsOfNewest);
            assertThat(viewers.get(0).visits).isEqualTo(round);
        }
    }

    @Test
    void oneFailingItemCostsNoOtherItsTurn() {
        List<Viewer> viewers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 64; i++) {
            viewers.add(new Viewer());
        }
        Viewer failing = viewers.get(50); // in the helper's half
        fanOut.forEach(viewers, viewer -> {
            if (viewer == failing) {
                throw new IllegalStateException("one viewer's bug");
            }
            viewer.visits++;
        }, held -> { });

        assertThat(viewers.stream().filter(viewer -> viewer.visits == 1).count()).isEqualTo(63);
    }

    @Test
    void aFanOutAllocatesNothingOnTheCallerOrTheHelper() throws Exception {
        List<Viewer> viewers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 64; i++) {
            viewers.add(new Viewer());
        }
        Consumer<Viewer> count = viewer -> viewer.visits++;
        Consumer<List<DatagramPacket>> writeHeld = held -> { };
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long caller = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // warm-up: compiled, arrays sized
            fanOut.forEach(viewers, count, writeHeld);
        }
        long helper = fanOut.helper(0).getId();
        long callerBefore = threads.getThreadAllocatedBytes(caller);
        long helperBefore = threads.getThreadAllocatedBytes(helper);
        int packets = 20_000;
        for (int i = 0; i < packets; i++) {
            fanOut.forEach(viewers, count, writeHeld);
        }
        long callerAllocated = threads.getThreadAllocatedBytes(caller) - callerBefore;
        long helperAllocated = threads.getThreadAllocatedBytes(helper) - helperBefore;

        assertThat(viewers).allSatisfy(viewer -> assertThat(viewer.visits).isEqualTo(2 * packets));
        assertThat(callerAllocated).as("bytes the caller allocated over %d fan-outs", packets).isLessThan(64 * 1024);
        assertThat(helperAllocated).as("bytes the helper allocated over %d fan-outs", packets).isLessThan(64 * 1024);
    }
}
