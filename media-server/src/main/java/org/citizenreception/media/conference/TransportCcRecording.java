package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.pipeline.Verdict;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.citizenreception.media.rtp.HeaderExtensionValues;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.stats.StageMeter;

/**
 * Receive stage 3: notes the arrival of every RTP packet that carries a transport-wide sequence
 * number, for the transport-cc feedback that drives the publisher's bandwidth estimate. It comes
 * before SSRC routing on purpose: RTX answers and padding-only probes (which routing drops) are
 * what the publisher's probing measures, and a packet of an unknown SSRC still used the link.
 * An observer: it never drops.
 */
final class TransportCcRecording extends PacketStage<ReceivedPacket> {
    /**
     * libwebrtc's receivers send transport-cc feedback every 50-250 ms (100 ms at video rates). The
     * threshold sits below the 100 ms timer's period: a tick that fires a little early after a late
     * one must still send, or the feedback would come every 200 ms on a loaded machine (measured:
     * half of the gaps were 200 ms with a 100 ms threshold).
     */
    static final long FEEDBACK_INTERVAL_MILLIS = 80;

    private final int extensionId;
    private final int senderSsrc;
    private final LongSupplier nanoClock;
    /** Created with the first packet that carries a transport-wide sequence number; event loop. */
    private TransportCcRecorder recorder;

    /** @param extensionId the publisher's id for the transport-wide-cc extension, or -1 when not negotiated */
    TransportCcRecording(StageMeter meter, int extensionId, int senderSsrc, LongSupplier nanoClock) {
        super(meter);
        this.extensionId = extensionId;
        this.senderSsrc = senderSsrc;
        this.nanoClock = nanoClock;
    }

    @Override
    protected Verdict handle(ByteBuf packet, ReceivedPacket context) {
        if (extensionId <= 0) {
            return Verdict.CONTINUE;
        }
        int transportSequence = HeaderExtensionValues.transportSequenceNumber(packet, extensionId);
        if (transportSequence < 0) {
            return Verdict.CONTINUE;
        }
        if (recorder == null) {
            recorder = new TransportCcRecorder(senderSsrc, RtpHeader.ssrc(packet), FEEDBACK_INTERVAL_MILLIS, nanoClock);
        }
        recorder.onPacket(transportSequence);
        return Verdict.CONTINUE;
    }

    /** What has been recorded, or null before the first packet with a transport-wide sequence number. Event loop. */
    TransportCcRecorder recorder() {
        return recorder;
    }
}
