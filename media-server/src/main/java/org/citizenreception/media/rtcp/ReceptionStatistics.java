package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.citizenreception.media.rtp.SequenceNumbers;

/**
 * What the bridge received of one publisher stream, as RFC 3550 appendix A computes it, turned into
 * the report block of the receiver reports the bridge sends that publisher: extended highest
 * sequence number and cycles (A.1), cumulative and fractional loss (A.3), interarrival jitter (A.8),
 * and LSR/DLSR from the publisher's last sender report so it can measure the round trip.
 *
 * <p>Simplification of A.1: a jump of more than {@link #MAX_DROPOUT} packets is taken as a
 * restart of the sequence (no probation), which is what a publisher that restarted its encoder
 * looks like. Not thread-safe: one per incoming stream, on its endpoint's event loop.
 */
public final class ReceptionStatistics {
    public static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final int sourceSsrc;
    private final int clockRateHz;
    private final LongSupplier nanoClock;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long firstArrivalNanos;
    private boolean hasTransit;
    private long lastTransit;
    private long jitterTimes16;
    private int lastSenderReport;
    private long lastSenderReportArrivalNanos;

    public ReceptionStatistics(int sourceSsrc, int clockRateHz, LongSupplier nanoClock) {
        if (clockRateHz <= 0) {
            throw new IllegalArgumentException("clockRateHz must be positive: " + clockRateHz);
        }
        this.sourceSsrc = sourceSsrc;
        this.clockRateHz = clockRateHz;
        this.nanoClock = nanoClock;
    }

    /** Records one packet arriving now (not retransmissions: they would skew jitter). */
    public void onPacket(int seq, int rtpTimestamp) {
        long now = nanoClock.getAsLong();
        if (!started) {
            started = true;
            firstArrivalNanos = now;
            restart(seq);
        } else {
            int delta = SequenceNumbers.delta(maxSeq, seq);
            if (delta > 0 && delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SequenceNumbers.MODULUS;
                }
                maxSeq = seq;
            } else if (delta >= MAX_DROPOUT || delta < -MAX_MISORDER) {
                restart(seq);
            }
        }
        received++;
        long arrivalTicks = (now - firstArrivalNanos) / 1000 * clockRateHz / 1_000_000;
        long transit = arrivalTicks - Integer.toUnsignedLong(rtpTimestamp);
        if (hasTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (long) clockRateHz * 10) { // ignore timestamp jumps (a source switch upstream)
                jitterTimes16 += d - ((jitterTimes16 + 8) >> 4);
            }
        }
        hasTransit = true;
        lastTransit = transit;
    }

    /** Records the publisher's sender report (its NTP timestamp) for LSR/DLSR. */
    public void onSenderReport(long ntpTimestamp) {
        lastSenderReport = NtpTime.compact(ntpTimestamp);
        lastSenderReportArrivalNanos = nanoClock.getAsLong();
    }

    /** Writes this stream's 24-byte report block and starts the next fraction-lost interval. */
    public void writeReportBlock(ByteBuf out) {
        long expected = extendedHighestSequenceNumber() - baseSeq + 1;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        int fractionLost = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        expectedPrior = expected;
        receivedPrior = received;
        int delaySinceLastSenderReport = lastSenderReport == 0 ? 0
                : NtpTime.compactDurationOfNanos(nanoClock.getAsLong() - lastSenderReportArrivalNanos);
        ReportBlock.write(out, sourceSsrc, Math.min(fractionLost, 255), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, cumulativeLost())),
                (int) extendedHighestSequenceNumber(), (int) jitter(), lastSenderReport, delaySinceLastSenderReport);
    }

    public long packetsReceived() {
        return received;
    }

    /** Expected minus received since the start; negative with duplicates (RFC 3550 A.3). */
    public long cumulativeLost() {
        return started ? extendedHighestSequenceNumber() - baseSeq + 1 - received : 0;
    }

    public long extendedHighestSequenceNumber() {
        return cycles + maxSeq;
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterTimes16 >> 4;
    }

    private void restart(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        cycles = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
    }
}
