package org.citizenreception.media.rtcp;

import io.netty.util.collection.IntObjectHashMap;
import java.util.function.LongSupplier;

/**
 * Merges keyframe requests (PLI/FIR) from many viewers into few requests to the publisher: a join
 * storm of 200 rooms must cost the encoder a handful of keyframes, not 200 (issue 4).
 *
 * <p>Per source: at most one request upstream per {@code intervalMillis}. A request that arrives
 * inside the interval is merged: if the requested keyframe is still pending it will serve the new
 * viewer too; if the keyframe already arrived, the request is remembered as owed and
 * {@link #isOwedRequestDue(int)} reports it once the interval has passed, so a viewer who asked just
 * after a keyframe still gets one without asking again. A pending request whose keyframe never
 * came (lost) may be repeated after the interval.
 *
 * <p>Thread-safe (synchronized): viewers of one source sit on many event loops. Keyframe requests
 * are rare enough that an uncontended monitor costs nothing measurable.
 */
public final class KeyframeRequestLimiter {
    private static final class SourceState {
        long lastRequestNanos;
        boolean requested;
        boolean keyframePending;
        boolean owed;
        int firSequenceNumber;
    }

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final IntObjectHashMap<SourceState> sources = new IntObjectHashMap<>();
    private long requestsReceived;
    private long requestsSent;

    public KeyframeRequestLimiter(long intervalMillis, LongSupplier nanoClock) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive: " + intervalMillis);
        }
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /**
     * A viewer (or the bridge itself, before a floor switch) wants a keyframe from
     * {@code sourceSsrc}. True means: send one PLI/FIR upstream now.
     */
    public synchronized boolean onRequest(int sourceSsrc) {
        requestsReceived++;
        SourceState state = state(sourceSsrc);
        long now = nanoClock.getAsLong();
        if (state.requested && now - state.lastRequestNanos < intervalNanos) {
            if (!state.keyframePending) {
                state.owed = true;
            }
            return false;
        }
        markSent(state, now);
        return true;
    }

    /**
     * True, once, when a merged request is owed and the interval since the last request has passed;
     * the caller then sends it. Meant for the periodic RTCP timer.
     */
    public synchronized boolean isOwedRequestDue(int sourceSsrc) {
        SourceState state = sources.get(sourceSsrc);
        long now = nanoClock.getAsLong();
        if (state == null || !state.owed || now - state.lastRequestNanos < intervalNanos) {
            return false;
        }
        markSent(state, now);
        return true;
    }

    /** The source sent a keyframe: it satisfies the pending request and any owed one. */
    public synchronized void onKeyframe(int sourceSsrc) {
        SourceState state = sources.get(sourceSsrc);
        if (state != null) {
            state.keyframePending = false;
            state.owed = false;
        }
    }

    /**
     * The FIR command sequence number for the request just decided (RFC 5104 section 4.3.1.1:
     * incremented per new request to a target, modulo 256).
     */
    public synchronized int firSequenceNumber(int sourceSsrc) {
        return state(sourceSsrc).firSequenceNumber;
    }

    /** Forgets a source that left. */
    public synchronized void remove(int sourceSsrc) {
        sources.remove(sourceSsrc);
    }

    public synchronized long requestsReceived() {
        return requestsReceived;
    }

    public synchronized long requestsSent() {
        return requestsSent;
    }

    private void markSent(SourceState state, long now) {
        state.requested = true;
        state.lastRequestNanos = now;
        state.keyframePending = true;
        state.owed = false;
        state.firSequenceNumber = (state.firSequenceNumber + 1) & 0xFF;
        requestsSent++;
    }

    private SourceState state(int sourceSsrc) {
        SourceState state = sources.get(sourceSsrc);
        if (state == null) {
            state = new SourceState();
            sources.put(sourceSsrc, state);
        }
        return state;
    }
}
