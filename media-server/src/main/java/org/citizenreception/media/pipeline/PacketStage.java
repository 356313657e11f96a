package org.citizenreception.media.pipeline;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.stats.StageMeter;

/**
 * One step of the packet path with one job (decrypt, route by SSRC, rewrite, …). Subclasses fill
 * {@link #handle}; this base does what every stage needs and none should write itself: it counts
 * the packets and bytes that enter, the drops by reason, and the time spent (on one packet in
 * {@link StageMeter#TIMING_SAMPLE_INTERVAL}), and it alone releases a packet a stage drops.
 *
 * <p><b>Buffer ownership.</b> {@link #process} takes ownership of {@code packet}. The stage's
 * {@link #handle} answers with a {@link Verdict}:
 * <ul>
 *   <li>{@link Verdict#CONTINUE}: the packet is not released; ownership goes back to the caller
 *       (the pipeline), which hands it to the next stage;</li>
 *   <li>{@link Verdict#dropped}: this base releases the packet, once; the stage must not have
 *       released it or passed it on;</li>
 *   <li>{@link Verdict#CONSUMED}: the stage took ownership and has passed the packet on or
 *       released it itself.</li>
 * </ul>
 * A stage never throws for bad input: a malformed packet is a drop with its reason.
 *
 * <p>Threads: an instance belongs to one endpoint or one subscription and runs on one thread at a
 * time (the event loop, or the fan-out helper serving that viewer for one packet), so its own
 * fields need no synchronisation; the shared {@link StageMeter} is built for many threads. No
 * allocation and no lock per packet.
 *
 * @param <C> the per-packet context the pipeline passes along (what earlier stages found out, e.g.
 *            the source of the packet); one mutable instance per pipeline, reused for every packet
 */
public abstract class PacketStage<C> {
    private final StageMeter meter;
    /** Packets until the next timed one; counts down so the check is one decrement and compare. */
    private int untilTimed = StageMeter.TIMING_SAMPLE_INTERVAL;

    protected PacketStage(StageMeter meter) {
        this.meter = meter;
    }

    /**
     * Runs the stage on {@code packet} (owned from now on, see the class comment).
     *
     * @return true when the packet goes on to the next stage (the caller owns it again); false when
     *         it was dropped (and released here) or consumed by the stage
     */
    public final boolean process(ByteBuf packet, C context) {
        meter.handled(packet.readableBytes());
        Verdict verdict;
        if (--untilTimed > 0) {
            verdict = handle(packet, context);
        } else {
            untilTimed = StageMeter.TIMING_SAMPLE_INTERVAL;
            long startNanos = System.nanoTime();
            verdict = handle(packet, context);
            meter.spent((System.nanoTime() - startNanos) * StageMeter.TIMING_SAMPLE_INTERVAL);
        }
        if (verdict == Verdict.CONTINUE) {
            return true;
        }
        if (verdict != Verdict.CONSUMED) {
            meter.dropped(verdict.reason());
            packet.release();
        }
        return false;
    }

    /**
     * This stage's one job on {@code packet}, which it may read and change in place. It must not
     * release the packet unless it answers {@link Verdict#CONSUMED}.
     */
    protected abstract Verdict handle(ByteBuf packet, C context);

    public StageMeter meter() {
        return meter;
    }

    @Override
    public String toString() {
        return meter.toString();
    }
}
