package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.media.rtcp.NtpTime;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.transport.PacketSender;

/**
 * The recorder's receipt of one {@link MediaSlot}: like a viewer's {@link Subscription} it rewrites
 * the slot into one continuous stream (fixed SSRC, sequence and timestamps carried across floor
 * changes), but it sends plain RTP, unencrypted, to a local muxer (an ffmpeg child process listening
 * on loopback), with an RTCP sender report to the port above once a second so the muxer can line
 * audio up with video.
 *
 * <p>The muxer (ffmpeg) places a stream on the shared clock only from its first sender report on;
 * packets it read before one get timestamps that later jump back. So the first report goes out as
 * the tap starts, before any media, saying "RTP timestamp 0 is now"; the tap then shifts every
 * packet's timestamp by a constant fixed at its first packet so that this holds (the first packet
 * gets the ticks elapsed since the start), and the rewriter's continuity does the rest.
 *
 * <p>It never slows the packet path: UDP to the muxer never blocks (a stalled muxer only fills its
 * socket buffer and the kernel drops what overflows), and per packet it costs what one viewer costs
 * minus the encryption: one pooled copy.
 *
 * <p>Ownership: {@link #forward} borrows the source's decrypted packet (never released here) and
 * sends its own pooled copy, whose ownership passes to {@link PacketSender#send}; a copy the
 * rewriter refuses is released here. Event-loop state, like a subscription's.
 */
final class RecordingTap {
    private static final int SENDER_REPORT_LENGTH = SenderReport.HEADER_AND_SENDER_INFO_LENGTH;

    private final MediaSlot slot;
    private final PacketSender transport;
    private final InetSocketAddress rtp;
    private final InetSocketAddress rtcp;
    private final int payloadType;
    private final int ssrc = ThreadLocalRandom.current().nextInt() | 1;
    private final SlotRewriter rewriter;
    private volatile boolean closed;
    /** Event loop writes, anyone reads (status). */
    private volatile long packetsSent;
    private volatile long payloadOctetsSent;
    private volatile long firstSentUnixMillis;
    private volatile long lastSentNanos;
    private final java.util.function.LongSupplier nanoClock;
    private final int clockRateHz;
    /** The recording's start, shared by its taps: RTP timestamp 0 of every stream, on both clocks. */
    private final long startNanos;
    private final long startUnixMillis;
    /** Event loop: added to the rewriter's timestamps, fixed at the first packet. */
    private int timestampShift;
    /** Event loop: the simulcast layer the recording follows (its SSRC), 0 before one is chosen. */
    private int recordedLayerSsrc;

    RecordingTap(MediaSlot slot, BridgeContext context, InetSocketAddress rtp, int payloadType, int clockRateHz,
                 long startNanos, long startUnixMillis) {
        this.clockRateHz = clockRateHz;
        this.startNanos = startNanos;
        this.startUnixMillis = startUnixMillis;
        this.slot = slot;
        this.transport = context.transport();
        this.rtp = rtp;
        this.rtcp = new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        this.payloadType = payloadType;
        this.nanoClock = context.nanoClock();
        this.rewriter = slot.kind() == MediaKind.VIDEO
                ? SlotRewriter.forVideo(ssrc, clockRateHz, nanoClock)
                : SlotRewriter.forAudio(ssrc, clockRateHz, nanoClock);
    }

    /** Points the rewriter at whoever fills the slot now, on the event loop. Any thread. */
    void followSlot() {
        runOnEventLoop(() -> {
            recordedLayerSsrc = 0;
            Source source = slot.source();
            if (source == null) {
                rewriter.clear();
            } else if (source.ssrc() != 0) {
                rewriter.switchTo(source.ssrc(), source.codec());
            }
        });
    }

    /**
     * The archive keeps the best picture the publisher is sending: the highest simulcast layer with
     * packets in the last measured window, else (before any measure) the first layer heard. The slot
     * names the top layer, but a sender under CPU or bandwidth pressure pauses exactly that one, and
     * a recording that waited for it would keep no video at all.
     */
    private void followBestLayer(SimulcastLayers layers, Source heard) {
        long[] bitrates = layers.bitratesBps();
        Source best = null;
        for (int i = bitrates.length - 1; i >= 0 && best == null; i--) {
            if (bitrates[i] > 0 && layers.layer(i).ssrc() != 0) {
                best = layers.layer(i);
            }
        }
        if (best == null) {
            if (recordedLayerSsrc != 0) {
                return;
            }
            best = heard;
        }
        if (best.ssrc() != 0 && best.ssrc() != recordedLayerSsrc) {
            recordedLayerSsrc = best.ssrc();
            rewriter.switchTo(best.ssrc(), best.codec());
            best.requestKeyframe();
        }
    }

    /** Sends the muxer its copy of {@code plain} (borrowed). Event loop. */
    void forward(Source source, ByteBuf plain) {
        SimulcastLayers layers = source.layers();
        if (layers != null && !closed) {
            followBestLayer(layers, source);
        }
        if (closed || !rewriter.accepts(RtpHeader.ssrc(plain))) {
            return;
        }
        int header = RtpHeader.headerLength(plain);
        if (header < 0) {
            return;
        }
        int fixed = RtpHeader.FIXED_HEADER_LENGTH + 4 * RtpHeader.csrcCount(plain);
        int payload = plain.readableBytes() - header;
        ByteBuf copy = transport.alloc().heapBuffer(fixed + payload);
        copy.writeBytes(plain, plain.readerIndex(), fixed);
        copy.writeBytes(plain, plain.readerIndex() + header, payload);
        copy.setByte(0, copy.getByte(0) & ~0x10);
        RtpHeader.setPayloadType(copy, payloadType);
        if (!rewriter.rewrite(copy)) {
            copy.release();
            if (rewriter.isSwitchPending()) {
                source.requestKeyframe();
            }
            return;
        }
        long now = nanoClock.getAsLong();
        if (packetsSent == 0) {
            timestampShift = ticksSinceStart(now) - RtpHeader.timestamp(copy);
            firstSentUnixMillis = unixMillis(now);
        }
        RtpHeader.setTimestamp(copy, RtpHeader.timestamp(copy) + timestampShift);
        packetsSent++;
        payloadOctetsSent += payload;
        lastSentNanos = now;
        transport.send(copy, rtp);
    }

    /**
     * One SR on the wall clock: every tap of a recording uses the same clock, so the muxer (ffmpeg
     * aligns the streams of one SDP by their SRs) keeps audio and video in sync. Event loop.
     */
    void sendSenderReport() {
        if (closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        int rtpNow = rewriter.hasForwarded() ? rewriter.rtpTimestampNow() + timestampShift : ticksSinceStart(now);
        ByteBuf report = transport.alloc().heapBuffer(SENDER_REPORT_LENGTH);
        SenderReport.write(report, ssrc, NtpTime.ofUnixMillis(unixMillis(now)), rtpNow, packetsSent, payloadOctetsSent, 0);
        transport.send(report, rtcp);
    }

    /** The first report, before any media: timestamp 0 at the recording's start. Any thread. */
    void start() {
        runOnEventLoop(this::sendSenderReport);
    }

    private int ticksSinceStart(long nowNanos) {
        return (int) ((nowNanos - startNanos) / 1000 * clockRateHz / 1_000_000);
    }

    /** Wall-clock time on the monotonic clock, anchored at the start: steps of the system clock do not move it. */
    private long unixMillis(long nowNanos) {
        return startUnixMillis + (nowNanos - startNanos) / 1_000_000;
    }

    long packetsSent() {
        return packetsSent;
    }

    long payloadOctetsSent() {
        return payloadOctetsSent;
    }

    /** Wall-clock time of the first packet sent, 0 before. */
    long firstSentUnixMillis() {
        return firstSentUnixMillis;
    }

    long lastSentNanos() {
        return lastSentNanos;
    }

    boolean hasSentAny() {
        return packetsSent > 0;
    }

    void close() {
        closed = true;
    }

    private void runOnEventLoop(Runnable task) {
        if (transport.eventLoop().inEventLoop()) {
            task.run();
        } else {
            transport.eventLoop().execute(task);
        }
    }
}
