package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.citizenreception.media.rtp.SequenceNumbers;

/**
 * Records when each transport-wide sequence number arrived from one publisher and turns that into
 * transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01) so the publisher's
 * bandwidth estimator can adapt its encoder to the uplink.
 *
 * <p>Arrivals go into a 4,096-slot ring indexed by the unwrapped sequence number; the caller polls
 * {@link #isFeedbackDue()} from its RTCP timer and calls {@link #writeFeedback(ByteBuf)} every
 * {@code feedbackIntervalMillis} (50-100 ms is what libwebrtc expects). Each call reports every
 * packet since the previous one, splitting into several RTCP packets when there are more than
 * {@link #MAX_PACKETS_PER_FEEDBACK} or a gap too long for a 16-bit delta. Packets arriving after
 * their sequence number was reported as lost are not reported again.
 *
 * <p>Not thread-safe: one per publishing endpoint, on its event loop.
 */
public final class TransportCcRecorder {
    /** Keeps one feedback packet under about 1,000 bytes even with two-byte deltas. */
    public static final int MAX_PACKETS_PER_FEEDBACK = 400;
    private static final int WINDOW = 4096;
    private static final int MASK = WINDOW - 1;
    private static final long TICK_NANOS = TransportCcFeedback.DELTA_TICK_MICROS * 1_000L;
    private static final long REFERENCE_TICK_NANOS = TransportCcFeedback.REFERENCE_TIME_TICK_MILLIS * 1_000_000L;

    private final boolean[] received = new boolean[WINDOW];
    private final long[] arrivalNanos = new long[WINDOW];
    private final int[] deltaTicks = new int[MAX_PACKETS_PER_FEEDBACK];
    private final int senderSsrc;
    private final int mediaSsrc;
    private final long feedbackIntervalNanos;
    private final LongSupplier nanoClock;
    private boolean started;
    private long nextUnreported;
    private long highest;
    private long lastFeedbackNanos;
    private int feedbackPacketCount;

    public TransportCcRecorder(int senderSsrc, int mediaSsrc, long feedbackIntervalMillis, LongSupplier nanoClock) {
        if (feedbackIntervalMillis <= 0) {
            throw new IllegalArgumentException("feedbackIntervalMillis must be positive: " + feedbackIntervalMillis);
        }
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.feedbackIntervalNanos = feedbackIntervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
        this.lastFeedbackNanos = nanoClock.getAsLong();
    }

    /** Records {@code transportSeq} as arrived now. */
    public void onPacket(int transportSeq) {
        onPacket(transportSeq, nanoClock.getAsLong());
    }

    /** Records {@code transportSeq} as arrived at {@code arrivalNanos} (e.g. a batch's receive time). */
    public void onPacket(int transportSeq, long arrivalNanos) {
        if (!started) {
            started = true;
            nextUnreported = transportSeq;
            highest = transportSeq;
        }
        long extended = highest + SequenceNumbers.delta((int) highest & 0xFFFF, transportSeq);
        if (extended < nextUnreported) {
            return;
        }
        while (extended - nextUnreported >= WINDOW) {
            received[(int) nextUnreported & MASK] = false;
            nextUnreported++;
        }
        received[(int) extended & MASK] = true;
        this.arrivalNanos[(int) extended & MASK] = arrivalNanos;
        highest = Math.max(highest, extended);
    }

    /** True when packets await a report and the feedback interval has passed. */
    public boolean isFeedbackDue() {
        return hasUnreported() && nanoClock.getAsLong() - lastFeedbackNanos >= feedbackIntervalNanos;
    }

    public boolean hasUnreported() {
        return started && nextUnreported <= highest;
    }

    /** Writes feedback for every unreported packet; returns the number of RTCP packets written. */
    public int writeFeedback(ByteBuf out) {
        lastFeedbackNanos = nanoClock.getAsLong();
        int written = 0;
        while (hasUnreported()) {
            long firstReceived = nextUnreported;
            while (!received[(int) firstReceived & MASK]) {
                firstReceived++;
            }
            long referenceTime64ms = Math.floorDiv(arrivalNanos[(int) firstReceived & MASK], REFERENCE_TICK_NANOS);
            long previousNanos = referenceTime64ms * REFERENCE_TICK_NANOS;
            int count = 0;
            for (long seq = nextUnreported; seq <= highest && count < MAX_PACKETS_PER_FEEDBACK; seq++, count++) {
                int slot = (int) seq & MASK;
                if (!received[slot]) {
                    deltaTicks[count] = TransportCcFeedbackWriter.NOT_RECEIVED;
                    continue;
                }
                long ticks = Math.floorDiv(arrivalNanos[slot] - previousNanos + TICK_NANOS / 2, TICK_NANOS);
                if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
                    break; // the rest goes into the next packet, with its own reference time
                }
                deltaTicks[count] = (int) ticks;
                previousNanos += ticks * TICK_NANOS;
            }
            if (count == 0) {
                break; // cannot happen: the first received delta is under 64 ms; never spin
            }
            TransportCcFeedbackWriter.write(out, senderSsrc, mediaSsrc, (int) nextUnreported & 0xFFFF,
                    (int) referenceTime64ms & 0xFFFFFF, feedbackPacketCount, deltaTicks, count);
            feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
            for (int i = 0; i < count; i++, nextUnreported++) {
                received[(int) nextUnreported & MASK] = false;
            }
            written++;
        }
        return written;
    }
}
