package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.Keyframes;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.rtp.VideoCodec;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the stage base type costs: the same four small per-packet steps (parse, rewrite, keyframe
 * check, a pass-through) called directly, through {@link PacketStage} (counted, time sampled one
 * packet in {@link StageMeter#TIMING_SAMPLE_INTERVAL}), and with every packet timed (what the base
 * type would cost without sampling). The differences, per packet and four stages, set against the
 * ~6 µs the bridge spends per forwarded packet, decide whether counting "for free" is free.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBenchmark {
    private SlotRewriter rewriter;
    private ByteBuf packet;
    private int seq;
    private PacketStage<Object>[] stages;
    private final LongAdder[] everyPacketNanos = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] everyPacketCount = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};

    private final class Parse extends PacketStage<Object> {
        Parse() {
            super(new StageMeter(StageMeter.Direction.SEND, "parse"));
        }

        @Override
        protected Verdict handle(ByteBuf p, Object context) {
            return RtpHeader.headerLength(p) < 0 ? Verdict.dropped(DropReason.RTP_MALFORMED) : Verdict.CONTINUE;
        }
    }

    private final class Rewrite extends PacketStage<Object> {
        Rewrite() {
            super(new StageMeter(StageMeter.Direction.SEND, "rewrite"));
        }

        @Override
        protected Verdict handle(ByteBuf p, Object context) {
            return rewriter.rewrite(p) ? Verdict.CONTINUE : Verdict.dropped(DropReason.REWRITE_REFUSED);
        }
    }

    private static final class KeyframeCheck extends PacketStage<Object> {
        boolean keyframe;

        KeyframeCheck() {
            super(new StageMeter(StageMeter.Direction.SEND, "keyframe"));
        }

        @Override
        protected Verdict handle(ByteBuf p, Object context) {
            keyframe = Keyframes.isKeyframeStart(VideoCodec.VP8, p);
            return Verdict.CONTINUE;
        }
    }

    private static final class PassThrough extends PacketStage<Object> {
        PassThrough() {
            super(new StageMeter(StageMeter.Direction.SEND, "pass"));
        }

        @Override
        protected Verdict handle(ByteBuf p, Object context) {
            return Verdict.CONTINUE;
        }
    }

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        rewriter = SlotRewriter.forVideo(0x55667788, 90_000, System::nanoTime);
        rewriter.switchTo(Packets.SOURCE_SSRC, VideoCodec.VP8);
        ByteBuf keyframe = Packets.vp8(0, 0, 0, true);
        if (!rewriter.rewrite(keyframe)) {
            throw new IllegalStateException("the rewriter refused the opening keyframe");
        }
        keyframe.release();
        packet = Packets.vp8(1, 0, 1, false);
        stages = new PacketStage[] {new Parse(), new Rewrite(), new KeyframeCheck(), new PassThrough()};
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
    }

    private void nextPacket() {
        seq = (seq + 1) & 0xffff;
        RtpHeader.setSsrc(packet, Packets.SOURCE_SSRC);
        RtpHeader.setSequenceNumber(packet, seq);
        RtpHeader.setTimestamp(packet, seq * 3000);
    }

    @Benchmark
    public boolean direct() {
        nextPacket();
        return RtpHeader.headerLength(packet) >= 0 && rewriter.rewrite(packet) && !Keyframes.isKeyframeStart(VideoCodec.VP8, packet);
    }

    @Benchmark
    public boolean throughStages() {
        nextPacket();
        for (int i = 0; i < stages.length; i++) {
            if (!stages[i].process(packet, null)) {
                return false;
            }
        }
        return true;
    }

    /** The base type's counting with a nanoTime pair around every stage: the cost sampling avoids. */
    @Benchmark
    public boolean everyPacketTimed() {
        nextPacket();
        long t0 = System.nanoTime();
        boolean ok = RtpHeader.headerLength(packet) >= 0;
        long t1 = System.nanoTime();
        count(0, packet.readableBytes(), t1 - t0);
        ok = ok && rewriter.rewrite(packet);
        long t2 = System.nanoTime();
        count(1, packet.readableBytes(), t2 - t1);
        boolean keyframe = Keyframes.isKeyframeStart(VideoCodec.VP8, packet);
        long t3 = System.nanoTime();
        count(2, packet.readableBytes(), t3 - t2);
        long t4 = System.nanoTime();
        count(3, packet.readableBytes(), t4 - t3);
        return ok && !keyframe;
    }

    private void count(int stage, int bytes, long nanos) {
        everyPacketCount[stage].increment();
        everyPacketCount[stage].add(bytes);
        everyPacketNanos[stage].add(nanos);
    }
}
