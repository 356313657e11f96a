package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-packet calls allocate nothing: measured with the JVM's per-thread allocation counter
 * over many iterations, after warm-up, so one stray allocation per packet would show as megabytes.
 * Untracked buffers: the leak detector's own per-access records would drown the measurement.
 * The stages that compose these calls into the receive, fan-out and send path are measured the
 * same way in {@code conference.AllocationFreePipelineTest} (their classes are package-private there).
 */
@ExtendWith(NoLeaks.class)
class AllocationFreePathTest {
    private static final int ITERATIONS = 200_000;

    @Test
    void headerExtensionAndRewriterCallsAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FakeNanoClock clock = new FakeNanoClock();
        SlotRewriter rewriter = SlotRewriter.forVideo(0x0A0A0A0A, 90_000, clock);
        rewriter.switchTo(0x11111111, VideoCodec.VP8);
        ByteBuf packet = Bytes.untracked(TestPackets.vp8(0x11111111, 0, 0, 1, 1, true));
        ByteBuf extended = Bytes.untracked(Bytes.hex("90e00001 0000000a 11223344 bede0003 22aabbcc 31010210 ff000000 c0ffee"));
        try {
            long sink = run(rewriter, packet, extended, 0);
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += run(rewriter, packet, extended, ITERATIONS);
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isNotZero();
            assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(64 * 1024);
        } finally {
            packet.release();
            extended.release();
        }
    }

    /** A NACK answered as RTX: the viewer's pooled copy is turned into RTX in place, no second buffer. */
    @Test
    void rtxWrapInPlaceAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuf original = Bytes.untracked(TestPackets.vp8(0x11111111, 0, 0, 1, 1, true));
        ByteBuf copy = Bytes.untracked(original.readableBytes() + RtxPacketizer.OSN_LENGTH);
        try {
            long sink = wrapRepeatedly(original, copy, 0);
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            sink += wrapRepeatedly(original, copy, ITERATIONS);
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sink).isNotZero();
            assertThat(allocated).as("bytes allocated over %d RTX packets", ITERATIONS).isLessThan(64 * 1024);
        } finally {
            original.release();
            copy.release();
        }
    }

    /** A NACK storm is refused packet by packet: the budget and the resend interval allocate nothing either. */
    @Test
    void retransmissionLimitsAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FakeNanoClock clock = new FakeNanoClock();
        RetransmissionBudget budget = new RetransmissionBudget(1_500_000, 90_000, clock);
        ResendInterval resends = new ResendInterval(100_000_000L);
        long sink = limitRepeatedly(budget, resends, clock, 0);
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += limitRepeatedly(budget, resends, clock, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(sink).isNotZero();
        assertThat(allocated).as("bytes allocated over %d NACKed packets", ITERATIONS).isLessThan(64 * 1024);
    }

    private static long limitRepeatedly(RetransmissionBudget budget, ResendInterval resends, FakeNanoClock clock, int start) {
        long sink = 0;
        for (int i = start; i < start + ITERATIONS; i++) {
            clock.advanceMillis(1);
            if (resends.mayResend(i & 0xFFFF, clock.getAsLong()) && budget.trySpend(1200)) {
                resends.resent(i & 0xFFFF, clock.getAsLong());
                sink++;
            }
        }
        return sink;
    }

    private static long wrapRepeatedly(ByteBuf original, ByteBuf copy, int start) {
        long sink = 0;
        for (int i = start; i < start + ITERATIONS; i++) {
            copy.clear().writeBytes(original, original.readerIndex(), original.readableBytes());
            sink += RtxPacketizer.wrapInPlace(copy, 0x22222222, 97, i & 0xFFFF) ? 1 : 0;
            sink += RtxPacketizer.originalSequenceNumber(copy);
        }
        return sink;
    }

    private static long run(SlotRewriter rewriter, ByteBuf packet, ByteBuf extended, int start) {
        long sink = 0;
        for (int i = start; i < start + ITERATIONS; i++) {
            RtpHeader.setSsrc(packet, 0x11111111);
            RtpHeader.setSequenceNumber(packet, i & 0xFFFF);
            sink += rewriter.rewrite(packet) ? 1 : 0;
            sink += Keyframes.isKeyframeStart(VideoCodec.VP8, packet) ? 1 : 0;
            sink += HeaderExtensionValues.absSendTime(extended, 2);
            sink += HeaderExtensionValues.transportSequenceNumber(extended, 3);
            sink += HeaderExtensionValues.audioLevel(extended, 1);
            HeaderExtensionValues.setTransportSequenceNumber(extended, 3, i & 0xFFFF);
            sink += RtcpOrRtp.isRtcp(extended) ? 1 : 0;
        }
        return sink;
    }
}
