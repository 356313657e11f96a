package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 4: which of the endpoint's {@link Source}s an RTP packet belongs to. An RTX packet
 * (RFC 4588, an answer to the bridge's NACK) is unwrapped in place into its original and goes on
 * as that; one with no original inside is padding a publisher sends to probe bandwidth, dropped.
 * An offer without {@code a=ssrc} names its SSRC with the first packet of the stream's payload type,
 * or, for a simulcast layer, with the first packet whose rid extension (RFC 8852) names the layer;
 * a layer's RTX SSRC is learnt from the repaired-rid extension the same way.
 *
 * <p>The sources are a small array scanned linearly, not a map: an endpoint publishes two streams
 * (four SSRCs with RTX), and a scan of four ints neither boxes the key nor allocates per packet.
 * The array is replaced, never changed, when a source is added (control thread), so the event loop
 * reads it without a lock.
 */
final class SsrcRouting extends PacketStage<ReceivedPacket> {
    private final boolean publisher;
    private volatile Source[] sources = new Source[0];
    /** The publisher's rid and repaired-rid extension ids, or -1; set before the first packet. */
    private volatile int ridExtensionId = -1;
    private volatile int repairedRidExtensionId = -1;

    SsrcRouting(StageMeter meter, boolean publisher) {
        super(meter);
        this.publisher = publisher;
    }

    /** Control thread, before the source's first packet can arrive. */
    synchronized void add(Source source) {
        Source[] grown = java.util.Arrays.copyOf(sources, sources.length + 1);
        grown[sources.length] = source;
        sources = grown;
    }

    /** Control thread, before the first packet: where the publisher's packets name their simulcast layer. */
    void learnLayersFrom(int ridExtensionId, int repairedRidExtensionId) {
        this.ridExtensionId = ridExtensionId;
        this.repairedRidExtensionId = repairedRidExtensionId;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        if (!publisher) {
            return Verdict.dropped(DropReason.NOT_PUBLISHING);
        }
        int ssrc = RtpHeader.ssrc(packet);
        Source source = sourceWithSsrc(ssrc);
        if (source == null) {
            Source original = sourceWithRtxSsrc(ssrc);
            if (original == null) {
                original = learnLayerRtx(packet, ssrc);
            }
            if (original != null) {
                if (!RtxPacketizer.unwrap(packet, original.ssrc(), original.payloadType())) {
                    return Verdict.dropped(DropReason.RTX_PADDING);
                }
                source = original;
            } else {
                source = learnSource(packet, ssrc, RtpHeader.payloadType(packet));
            }
        }
        if (source == null) {
            return Verdict.dropped(DropReason.UNKNOWN_SSRC);
        }
        context.source = source;
        return Verdict.CONTINUE;
    }

    /** The source sending {@code ssrc} (its media SSRC, learned or announced), or null. Event loop. */
    Source sourceWithSsrc(int ssrc) {
        Source[] all = sources;
        for (int i = 0; i < all.length; i++) {
            if (all[i].ssrc() == ssrc && ssrc != 0) {
                return all[i];
            }
        }
        return null;
    }

    private Source sourceWithRtxSsrc(int ssrc) {
        Source[] all = sources;
        for (int i = 0; i < all.length; i++) {
            if (all[i].rtxSsrc() == ssrc && ssrc != 0) {
                return all[i];
            }
        }
        return null;
    }

    private Source learnSource(ByteBuf packet, int ssrc, int payloadType) {
        Source[] all = sources;
        String rid = ridExtensionId > 0 ? HeaderExtensionValues.mid(packet, ridExtensionId) : null;
        for (int i = 0; i < all.length; i++) {
            Source candidate = all[i];
            boolean named = candidate.rid() == null ? rid == null : candidate.rid().equals(rid);
            if (candidate.ssrc() == 0 && candidate.payloadType() == payloadType && named) {
                candidate.learnSsrc(ssrc);
                return candidate;
            }
        }
        return null;
    }

    /** An RTX packet of a simulcast layer whose RTX SSRC is not known yet: its repaired-rid names the layer. */
    private Source learnLayerRtx(ByteBuf packet, int ssrc) {
        if (repairedRidExtensionId <= 0) {
            return null;
        }
        String rid = HeaderExtensionValues.mid(packet, repairedRidExtensionId);
        if (rid == null) {
            return null;
        }
        Source[] all = sources;
        for (int i = 0; i < all.length; i++) {
            if (rid.equals(all[i].rid()) && all[i].rtxSsrc() == 0 && all[i].ssrc() != ssrc) {
                all[i].learnRtxSsrc(ssrc);
                return all[i];
            }
        }
        return null;
    }
}
