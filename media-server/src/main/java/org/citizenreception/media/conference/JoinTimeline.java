package org.citizenreception.media.conference;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.citizenreception.media.stats.JoinPhase;
import org.citizenreception.media.stats.MediaMetrics;

/**
 * When one endpoint's join reached each {@link Milestone}, and, for a viewer, each stretch between
 * two of them recorded once as a {@link JoinPhase} on the bridge's meters. Milestones are reached
 * on different threads (the HTTP handler, the event loop, a handshake thread); each is kept the
 * first time only, so a retransmitted record or a second keyframe changes nothing.
 */
public final class JoinTimeline {
    /** In the order a join goes through them. */
    public enum Milestone {
        /** The WHEP POST arrived (the embedding application says when; else the subscribe call). */
        OFFER_RECEIVED,
        /** The answer is ready to go back. */
        ANSWER_SENT,
        /** The client's first authenticated ICE check: the bridge knows where to send. */
        ICE_CONNECTED,
        /** The client's first DTLS record. */
        DTLS_STARTED,
        /** SRTP keys exist: media can flow. */
        DTLS_DONE,
        /** The first packet of a video keyframe went to the viewer. */
        FIRST_KEYFRAME_SENT
    }

    private static final long NOT_YET = Long.MIN_VALUE;

    private final AtomicLongArray reachedNanos = new AtomicLongArray(Milestone.values().length);
    /** Null for a publisher: its join is not a viewer's and is not metered. */
    private final MediaMetrics metrics;
    private final LongSupplier nanoClock;

    private JoinTimeline(MediaMetrics metrics, LongSupplier nanoClock) {
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        for (int i = 0; i < reachedNanos.length(); i++) {
            reachedNanos.set(i, NOT_YET);
        }
    }

    static JoinTimeline metered(MediaMetrics metrics, LongSupplier nanoClock) {
        return new JoinTimeline(metrics, nanoClock);
    }

    static JoinTimeline unmetered(LongSupplier nanoClock) {
        return new JoinTimeline(null, nanoClock);
    }

    /** Reached now. */
    public void reach(Milestone milestone) {
        reach(milestone, nanoClock.getAsLong());
    }

    /** Reached at {@code nanos} of the bridge's clock ({@link System#nanoTime()} in production); the first call counts. */
    public void reach(Milestone milestone, long nanos) {
        if (!reachedNanos.compareAndSet(milestone.ordinal(), NOT_YET, nanos) || metrics == null) {
            return;
        }
        switch (milestone) {
            case ANSWER_SENT -> record(JoinPhase.ANSWER, Milestone.OFFER_RECEIVED, milestone);
            case ICE_CONNECTED -> record(JoinPhase.ICE, Milestone.ANSWER_SENT, milestone);
            case DTLS_STARTED -> record(JoinPhase.CLIENT_HELLO, Milestone.ICE_CONNECTED, milestone);
            case DTLS_DONE -> record(JoinPhase.DTLS, Milestone.DTLS_STARTED, milestone);
            case FIRST_KEYFRAME_SENT -> {
                long firstKeyframe = record(JoinPhase.FIRST_KEYFRAME, Milestone.DTLS_DONE, milestone);
                long total = record(JoinPhase.TOTAL, Milestone.OFFER_RECEIVED, milestone);
                long answer = between(Milestone.OFFER_RECEIVED, Milestone.ANSWER_SENT);
                long dtls = between(Milestone.DTLS_STARTED, Milestone.DTLS_DONE);
                if (firstKeyframe >= 0 && total >= 0 && answer >= 0 && dtls >= 0) {
                    metrics.joinPhase(JoinPhase.SERVER, answer + dtls + firstKeyframe);
                }
            }
            default -> { }
        }
    }

    /** When {@code milestone} was reached, or empty. */
    public java.util.OptionalLong nanosAt(Milestone milestone) {
        long at = reachedNanos.get(milestone.ordinal());
        return at == NOT_YET ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
    }

    /** Records {@code from} → {@code to} as {@code phase} when both are known and in order; returns it or -1. */
    private long record(JoinPhase phase, Milestone from, Milestone to) {
        long nanos = between(from, to);
        if (nanos >= 0) {
            metrics.joinPhase(phase, nanos);
        }
        return nanos;
    }

    private long between(Milestone from, Milestone to) {
        long start = reachedNanos.get(from.ordinal());
        long end = reachedNanos.get(to.ordinal());
        return start == NOT_YET || end == NOT_YET || end < start ? -1 : end - start;
    }
}
