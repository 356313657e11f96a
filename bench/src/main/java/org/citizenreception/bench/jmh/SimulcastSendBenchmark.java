package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtpHeaderExtensions;
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
 * What simulcast adds to the send path, per packet and viewer, A/B in one run (same load): the
 * viewer's copy as before (header without extensions, payload) against the copy with the
 * abs-send-time extension the viewer's estimator needs (a clock read and 8 bytes); and the
 * early refusal of a packet of a layer the viewer is not sent ({@link SlotRewriter#accepts}, before
 * any copy), which every viewer now pays for the packets of the two other layers. Layer
 * selection itself runs every 100 ms per viewer, off the packet path. The copies mirror
 * {@code Subscription.viewerCopy} step for step with the same public primitives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SimulcastSendBenchmark {
    private static final int OTHER_LAYER_SSRC = 0x55555555;
    private static final int ABS_SEND_TIME_ID = 3;
    private ByteBuf packet;
    private SlotRewriter rewriter;

    @Setup(Level.Trial)
    public void setUp() {
        packet = Packets.vp8(1, 3000, 1, false);
        rewriter = SlotRewriter.forVideo(0x0A0A0A0A, 90_000, System::nanoTime);
        rewriter.switchTo(Packets.SOURCE_SSRC, VideoCodec.VP8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
    }

    @Benchmark
    public int copyAsBefore() {
        ByteBuf copy = copy(false);
        int size = copy.readableBytes();
        copy.release();
        return size;
    }

    @Benchmark
    public int copyWithAbsSendTime() {
        ByteBuf copy = copy(true);
        int size = copy.readableBytes();
        copy.release();
        return size;
    }

    /** A packet of another layer reaching a viewer: refused before the copy. */
    @Benchmark
    public boolean otherLayerRefused() {
        return rewriter.accepts(OTHER_LAYER_SSRC);
    }

    private ByteBuf copy(boolean absSendTime) {
        int header = RtpHeader.headerLength(packet);
        int fixed = RtpHeader.FIXED_HEADER_LENGTH + 4 * RtpHeader.csrcCount(packet);
        int payload = packet.readableBytes() - header;
        ByteBuf copy = PooledByteBufAllocator.DEFAULT.heapBuffer(fixed + (absSendTime ? 8 : 0) + payload + 16);
        copy.writeBytes(packet, packet.readerIndex(), fixed);
        copy.setByte(0, copy.getByte(0) & ~0x10);
        if (absSendTime) {
            copy.setByte(0, copy.getByte(0) | 0x10);
            copy.writeShort(RtpHeaderExtensions.ONE_BYTE_PROFILE);
            copy.writeShort(1);
            copy.writeByte(ABS_SEND_TIME_ID << 4 | 2);
            copy.writeMedium(HeaderExtensionValues.absSendTimeOfNanos(System.nanoTime()));
        }
        copy.writeBytes(packet, packet.readerIndex() + header, payload);
        RtpHeader.setPayloadType(copy, 96);
        return copy;
    }
}
