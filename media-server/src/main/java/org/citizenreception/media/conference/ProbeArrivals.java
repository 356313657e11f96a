package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.rtcp.TransportCcFeedback;

/**
 * When the padding of one viewer's probe steps arrived, as the viewer's own transport-cc feedback
 * reports it, and whether the line carried a step: the one-way delay did not grow and next to
 * nothing was lost.
 *
 * <p>Why: a REMB climbs about 8 % a second over what the viewer receives, so a line freed after
 * a throttle took half a minute to be judged able to take a layer it could have taken at once.
 * With the probe padding stamped with a transport-wide sequence number (and only the padding:
 * libwebrtc reads a packet carrying one for transport feedback and keeps it out of its REMB
 * estimator, so the REMB goes on judging the media alone), the viewer reports when each padding
 * packet arrived, on its own clock. The bridge compares that with when it sent it: a line that
 * carries the step's rate delivers the padding as spaced as it was sent; one that does not queues
 * it (the delay grows by the excess over the line's rate, 150 ms a second for a 300 kbit/s line
 * probed at 450) or drops it at a full queue. This is libwebrtc's own send-side probe test
 * (received rate against sent rate), read on delay so that a step is judged as soon as its queue
 * shows, long before its end.
 *
 * <p>Sequence numbers are 16 bits; the last {@link #WINDOW} sent are kept (a step of the top
 * layer's need sends about 1,400 padding packets a second). Arrays are allocated at the first
 * stamp, so a viewer that never probes costs nothing. Not thread-safe: one per viewer, on its
 * event loop.
 */
final class ProbeArrivals {
    enum Verdict {
        /** Not all of the step reported yet, and nothing refused it so far. */
        PENDING,
        /** The line carried the step. */
        CARRIED,
        /** The delay grew or packets were lost: the line did not carry it. */
        REFUSED
    }

    static final int WINDOW = 2048;
    private static final int MASK = WINDOW - 1;
    /** The one-way delay may grow this much (the receiving machine's scheduling jitter)... */
    static final long DELAY_GROWTH_ALLOWED_MICROS = 80_000;
    /** ...plus this share of the step's length (a queue growing by a twentieth of the time: a rate 5 % over the line's). */
    static final int DELAY_GROWTH_SHARE_OF_SPAN = 20;
    /** A step is refused once over a tenth of at least {@link #MIN_REPORTED_TO_REFUSE} reported packets were lost... */
    static final int LOSS_REFUSES_ABOVE_PERCENT = 10;
    static final int MIN_REPORTED_TO_REFUSE = 10;
    /** ...and, at its end, over this share: a clean line loses a packet now and then. */
    static final int LOSS_ALLOWED_AT_END_PERCENT = 5;
    /**
     * Until its arrivals span this much of a step, delay refuses it only at twice the growth
     * allowed: a queue a join's keyframes left on a 1 Mbit/s line added 104 ms over the first 16
     * packets and drained after, where a line the step overloads keeps adding (a 300 kbit/s line
     * probed at twice its rate, a second of delay a second).
     */
    static final long EARLY_REFUSAL_AFTER_NANOS = 300_000_000L;
    /** A packet not reported this long after the step's last was sent is counted lost. */
    static final long REPORT_WITHIN_NANOS = 500_000_000L;
    /** The delay growth is read on the mean of this many last arrivals at most (one tick's burst shares a fate). */
    private static final int LAST_ARRIVALS_MEAN = 16;

    private static final byte PENDING = 0;
    private static final byte RECEIVED = 1;
    private static final byte LOST = 2;

    private int[] sequenceAt;
    private long[] sentNanos;
    private long[] arrivalMicros;
    private byte[] state;
    private int nextSequence;
    private long stamped;
    private int judgedSent;
    private int judgedReceived;
    private int judgedLost;
    private long judgedGrowthMicros;
    private final TransportCcFeedback.PacketVisitor recordArrival = this::recordArrival;
    /** The arrival of the last received packet of the feedback being read, in microseconds of the viewer's clock. */
    private long arrivalCursorMicros;

    /** The sequence number the next stamped packet gets: a step starts here. */
    int nextSequence() {
        return nextSequence;
    }

    /** Takes the next transport-wide sequence number for a padding packet sent now. */
    int stamp(long nowNanos) {
        if (sequenceAt == null) {
            sequenceAt = new int[WINDOW];
            sentNanos = new long[WINDOW];
            arrivalMicros = new long[WINDOW];
            state = new byte[WINDOW];
            java.util.Arrays.fill(sequenceAt, -1);
        }
        int sequence = nextSequence;
        int slot = sequence & MASK;
        sequenceAt[slot] = sequence;
        sentNanos[slot] = nowNanos;
        state[slot] = PENDING;
        nextSequence = (sequence + 1) & 0xFFFF;
        stamped++;
        return sequence;
    }

    /** What the last {@link #judge} saw, for the layer decision's DEBUG line: sent, received, lost, delay growth. */
    String lastJudgement() {
        return judgedReceived + "/" + judgedSent + " arrived, " + judgedLost + " lost, delay grew " + judgedGrowthMicros / 1_000 + " ms";
    }

    /** Packets stamped so far. */
    long stamped() {
        return stamped;
    }

    /** Reads one transport-cc feedback packet (borrowed) from the viewer; sequence numbers it was not sent are ignored. */
    void onFeedback(ByteBuf packet, int at, int length) {
        if (sequenceAt == null) {
            return;
        }
        arrivalCursorMicros = (long) TransportCcFeedback.referenceTime64ms(packet, at)
                * TransportCcFeedback.REFERENCE_TIME_TICK_MILLIS * 1_000L;
        TransportCcFeedback.visitPackets(packet, at, length, recordArrival);
    }

    private void recordArrival(int sequenceNumber, boolean received, int deltaTicks) {
        int slot = sequenceNumber & MASK;
        if (received) {
            arrivalCursorMicros += (long) deltaTicks * TransportCcFeedback.DELTA_TICK_MICROS;
        }
        if (sequenceAt[slot] != sequenceNumber) {
            return;
        }
        if (received) {
            arrivalMicros[slot] = arrivalCursorMicros;
            state[slot] = RECEIVED;
        } else if (state[slot] == PENDING) {
            state[slot] = LOST; // a later report that it arrived after all overrides this
        }
    }

    /**
     * Judges the step whose padding started at {@code firstSequence} and runs to the last stamped
     * packet.
     *
     * @param stepOver whether the step has sent all it will: only then can it be judged carried
     */
    Verdict judge(int firstSequence, boolean stepOver, long nowNanos) {
        int count = (nextSequence - firstSequence) & 0xFFFF;
        if (sequenceAt == null || count == 0) {
            return stepOver ? Verdict.REFUSED : Verdict.PENDING;
        }
        int first = (nextSequence - Math.min(count, WINDOW)) & 0xFFFF;
        int received = 0;
        int lost = 0;
        int pending = 0;
        long minDelayMicros = Long.MAX_VALUE;
        long firstSentNanos = Long.MIN_VALUE;
        long lastSentNanos = Long.MIN_VALUE;
        long lastReceivedSentNanos = Long.MIN_VALUE;
        for (int i = 0, sequence = first; i < Math.min(count, WINDOW); i++, sequence = (sequence + 1) & 0xFFFF) {
            int slot = sequence & MASK;
            if (firstSentNanos == Long.MIN_VALUE) {
                firstSentNanos = sentNanos[slot];
            }
            lastSentNanos = sentNanos[slot];
            if (state[slot] == RECEIVED) {
                received++;
                lastReceivedSentNanos = sentNanos[slot];
                minDelayMicros = Math.min(minDelayMicros, delayMicros(slot));
            } else if (state[slot] == LOST) {
                lost++;
            } else {
                pending++;
            }
        }
        judgedSent = Math.min(count, WINDOW);
        judgedReceived = received;
        judgedLost = lost;
        judgedGrowthMicros = received > 0
                ? lastArrivalsMeanDelay(first, Math.min(count, WINDOW), received) - minDelayMicros : 0;
        if (received + lost >= MIN_REPORTED_TO_REFUSE && lost * 100 > (received + lost) * LOSS_REFUSES_ABOVE_PERCENT) {
            return Verdict.REFUSED;
        }
        if (received > 0) {
            long spanMicros = (lastSentNanos - firstSentNanos) / 1_000L;
            long allowed = DELAY_GROWTH_ALLOWED_MICROS + spanMicros / DELAY_GROWTH_SHARE_OF_SPAN;
            boolean early = !stepOver && lastReceivedSentNanos - firstSentNanos < EARLY_REFUSAL_AFTER_NANOS;
            if (judgedGrowthMicros > (early ? 2 * allowed : allowed)) {
                return Verdict.REFUSED;
            }
        }
        if (!stepOver || (pending > 0 && nowNanos - lastSentNanos < REPORT_WITHIN_NANOS)) {
            return Verdict.PENDING;
        }
        lost += pending;
        if (received == 0 || lost * 100 > (received + lost) * LOSS_ALLOWED_AT_END_PERCENT) {
            return Verdict.REFUSED;
        }
        return Verdict.CARRIED;
    }

    /** The mean one-way delay of the last received packets of the step (at most {@link #LAST_ARRIVALS_MEAN}, a quarter of them). */
    private long lastArrivalsMeanDelay(int first, int count, int received) {
        int wanted = Math.max(1, Math.min(LAST_ARRIVALS_MEAN, received / 4));
        long sum = 0;
        int taken = 0;
        for (int i = count - 1; i >= 0 && taken < wanted; i--) {
            int slot = (first + i) & MASK;
            if (state[slot] == RECEIVED) {
                sum += delayMicros(slot);
                taken++;
            }
        }
        return sum / taken;
    }

    /** Arrival on the viewer's clock minus sending on ours: only its changes mean something. */
    private long delayMicros(int slot) {
        return arrivalMicros[slot] - sentNanos[slot] / 1_000L;
    }
}
