package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.rtp.VideoCodec;
import org.citizenreception.media.stats.StageMeter;
import org.citizenreception.media.stats.StageMeter.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stages of the packet path, from the RTP/RTCP split through the fan-out to a viewer's
 * subscription, and a viewer's send stages up to the transport, allocate nothing per packet:
 * measured with the JVM's per-thread allocation counter over many packets after warm-up, as
 * {@code rtp.AllocationFreePathTest} does for the parsing and rewriting calls. SRTP is left out
 * (jitsi-srtp wraps each packet in an array view), and so is the socket write (Netty's).
 * Untracked buffers, reused with a reference taken per packet, for the leak detector's own records
 * would drown the measurement.
 */
class AllocationFreePipelineTest {
    private static final int ITERATIONS = 200_000;
    private final StageFixture fixture = new StageFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void receiveStagesThroughTheFanOutAllocateNothingPerPacket() {
        SsrcRouting routing = new SsrcRouting(meter("ssrc_routing"), true);
        fixture.publisher.sources().forEach(routing::add);
        @SuppressWarnings("unchecked")
        PacketStage<ReceivedPacket>[] stages = new PacketStage[] {
                new RtcpSplit(meter("rtcp_split"), rtcp -> { }),
                new TransportCcRecording(meter("transport_cc"), StageFixture.TRANSPORT_CC_EXTENSION, 1, System::nanoTime),
                routing,
                new SourceHistory(meter("source_history")),
                new KeyframeTracking(meter("keyframe_tracking"), System::nanoTime),
                new AudioLevelReading(meter("audio_level"), (source, level) -> { }),
                new FanOut(meter("fan_out"), fixture.publisher.context().transport(), System::nanoTime),
        };
        ReceivedPacket facts = new ReceivedPacket();
        ByteBuf packet = Unpooled.buffer(64);
        RtpHeader.write(packet, false, StageFixture.VP8, 0, 0, StageFixture.VIDEO_SSRC);
        packet.writeByte(0x10).writeByte(0x51).writeZero(30); // VP8, not a keyframe
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long sink = receive(stages, facts, packet, 0);
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += receive(stages, facts, packet, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        assertThat(sink).isEqualTo(2L * ITERATIONS);
        assertThat(fixture.source(org.citizenreception.media.sdp.MediaKind.VIDEO).packets()).isEqualTo(2L * ITERATIONS);
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(64 * 1024);
    }

    @Test
    void sendStagesAllocateNothingPerPacket() {
        SlotRewriter rewriter = SlotRewriter.forVideo(0x0A0A0A0A, 90_000, new FakeNanoClock());
        rewriter.switchTo(StageFixture.VIDEO_SSRC, VideoCodec.VP8);
        StageMeter send = new StageMeter(Direction.SEND, "send");
        @SuppressWarnings("unchecked")
        PacketStage<OutgoingPacket>[] stages = new PacketStage[] {
                new SlotRewrite(new StageMeter(Direction.SEND, "rewrite"), rewriter),
                new RtxWrap(new StageMeter(Direction.SEND, "rtx"), 0x0B0B0B0B, 97),
                new SendToViewer(send, fixture.viewer), // not connected: dropped and released, counted
        };
        OutgoingPacket facts = new OutgoingPacket();
        ByteBuf copy = Unpooled.buffer(80);
        RtpHeader.write(copy, false, StageFixture.VP8, 0, 0, StageFixture.VIDEO_SSRC);
        copy.writeByte(0x10).writeByte(0x50).writeZero(30); // a keyframe: the rewriter switches at once
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long sink = sendRepeatedly(stages, facts, copy, 0);
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += sendRepeatedly(stages, facts, copy, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        assertThat(sink).as("packets the rewriter let through").isEqualTo(2L * ITERATIONS);
        assertThat(send.packets()).isEqualTo(2L * ITERATIONS);
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(64 * 1024);
        assertThat(copy.refCnt()).isEqualTo(1);
    }

    private static long receive(PacketStage<ReceivedPacket>[] stages, ReceivedPacket facts, ByteBuf packet, int start) {
        long passed = 0;
        for (int i = start; i < start + ITERATIONS; i++) {
            RtpHeader.setSequenceNumber(packet, i & 0xFFFF);
            packet.retain(); // this packet's own reference, as a fresh datagram's copy would have
            facts.reset(null, null);
            for (int s = 0; s < stages.length; s++) {
                if (!stages[s].process(packet, facts)) {
                    break;
                }
            }
            passed += facts.source != null ? 1 : 0;
        }
        return passed;
    }

    private static long sendRepeatedly(PacketStage<OutgoingPacket>[] stages, OutgoingPacket facts, ByteBuf copy, int start) {
        long rewritten = 0;
        for (int i = start; i < start + ITERATIONS; i++) {
            RtpHeader.setSsrc(copy, StageFixture.VIDEO_SSRC);
            RtpHeader.setSequenceNumber(copy, i & 0xFFFF);
            copy.retain();
            facts.reset(null, false);
            for (int s = 0; s < stages.length; s++) {
                if (!stages[s].process(copy, facts)) {
                    break;
                }
            }
            rewritten += facts.refusedByRewriter ? 0 : 1;
        }
        return rewritten;
    }

    private static StageMeter meter(String name) {
        return new StageMeter(Direction.RECEIVE, name);
    }
}
