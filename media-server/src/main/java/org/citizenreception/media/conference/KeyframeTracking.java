package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.Keyframes;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.VideoCodec;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 6: notes where each video keyframe starts, so a late joiner can be started from
 * it and the keyframe-request limiter knows its request was answered. An observer: never drops.
 */
final class KeyframeTracking extends PacketStage<ReceivedPacket> {
    private final LongSupplier nanoClock;

    KeyframeTracking(StageMeter meter, LongSupplier nanoClock) {
        super(meter);
        this.nanoClock = nanoClock;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        Source source = context.source;
        VideoCodec codec = source.codec();
        if (codec != null && Keyframes.isKeyframeStart(codec, packet)) {
            context.keyframe = true;
            source.keyframeStarted(RtpHeader.sequenceNumber(packet), nanoClock.getAsLong());
        }
        return Verdict.CONTINUE;
    }
}
