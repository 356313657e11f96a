package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.rtp.VideoCodec;
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
 * The per-viewer step before encryption: copy the publisher's packet into the viewer's pooled
 * buffer and rewrite SSRC, sequence number, timestamp and VP8 picture id onto the viewer's slot.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RewriteBenchmark {
    private SlotRewriter rewriter;
    private ByteBuf template;
    private ByteBuf work;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        rewriter = SlotRewriter.forVideo(0x55667788, 90_000, System::nanoTime);
        rewriter.switchTo(Packets.SOURCE_SSRC, VideoCodec.VP8);
        ByteBuf keyframe = Packets.vp8(0, 0, 0, true);
        if (!rewriter.rewrite(keyframe)) {
            throw new IllegalStateException("the rewriter refused the opening keyframe");
        }
        keyframe.release();
        template = Packets.vp8(1, 0, 1, false);
        work = template.alloc().directBuffer(Packets.PACKET_BYTES + 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        template.release();
        work.release();
    }

    @Benchmark
    public boolean copyAndRewrite() {
        seq = (seq + 1) & 0xffff;
        work.clear().writeBytes(template, template.readerIndex(), template.readableBytes());
        RtpHeader.setSsrc(work, Packets.SOURCE_SSRC);
        RtpHeader.setSequenceNumber(work, seq);
        RtpHeader.setTimestamp(work, seq * 3000);
        return rewriter.rewrite(work);
    }
}
