package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 7: an audio packet's level (RFC 6464 extension) goes to the conference's dominant
 * speaker detection, which a program viewer follows. An observer: never drops.
 */
final class AudioLevelReading extends PacketStage<ReceivedPacket> {
    /** Where levels go: the conference's dominant speaker detection. */
    interface LevelListener {
        /** @param rawLevel the RFC 6464 byte: voice-activity bit and level in -dBov */
        void audioLevel(Source source, int rawLevel);
    }

    private final LevelListener speakers;

    AudioLevelReading(StageMeter meter, LevelListener speakers) {
        super(meter);
        this.speakers = speakers;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        Source source = context.source;
        int extensionId = source.audioLevelExtensionId();
        if (source.codec() == null && extensionId > 0) {
            int level = HeaderExtensionValues.audioLevel(packet, extensionId);
            if (level >= 0) {
                speakers.audioLevel(source, level);
            }
        }
        return Verdict.CONTINUE;
    }
}
