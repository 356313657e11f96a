package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.stats.StageMeter;
import org.citizenreception.media.transport.PacketSender;

/**
 * Receive stage 8, the last: the packet goes to every viewer of the slot its source fills (each
 * {@link Subscription} makes its own copy, maybe on a fan-out helper thread, which only reads the
 * packet), then to the slot's recorder, and is released here once all are done. A source in no
 * slot, or not the one its slot carries, reaches no one.
 *
 * <p>This stage is its own per-subscription action: the packet in hand is kept in fields for the
 * duration of the fan-out instead of in a lambda capturing it, which would be an object per packet.
 * Safe because the event loop runs one fan-out at a time and waits for its helpers; the fields are
 * written before the helpers are handed the work, which orders them before the helpers' reads.
 * The time counted for this stage includes the send path of every viewer it reaches.
 */
final class FanOut extends PacketStage<ReceivedPacket> implements Consumer<Subscription> {
    private final PacketSender transport;
    private final LongSupplier nanoClock;
    private Source source;
    private ByteBuf plain;
    private boolean keyframe;
    private long nowNanos;

    FanOut(StageMeter meter, PacketSender transport, LongSupplier nanoClock) {
        super(meter);
        this.transport = transport;
        this.nanoClock = nanoClock;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        try {
            Source from = context.source;
            MediaSlot carrier = from.slot();
            if (carrier == null || !carrier.carries(from) || from.isClosed()) {
                return Verdict.CONSUMED;
            }
            source = from;
            plain = packet;
            keyframe = context.keyframe;
            nowNanos = nanoClock.getAsLong();
            try {
                transport.forEachInParallel(carrier.subscriptions(), this);
            } finally {
                source = null;
                plain = null;
            }
            // the recorder's copy, on the event loop after the viewers' (it borrows the packet like them)
            RecordingTap tap = carrier.recordingTap();
            if (tap != null) {
                tap.forward(from, packet);
            }
            return Verdict.CONSUMED;
        } finally {
            packet.release();
        }
    }

    /** One viewer's share of the packet in hand (it borrows the packet). */
    @Override
    public void accept(Subscription subscription) {
        subscription.forward(source, plain, keyframe, nowNanos);
    }
}
