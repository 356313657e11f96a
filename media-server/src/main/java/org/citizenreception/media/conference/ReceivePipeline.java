package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import org.citizenreception.media.pipeline.PacketStage;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.StageMeter.Direction;

/**
 * The way in for one endpoint's SRTP and SRTCP, as stages in packet order (read the constructor
 * top to bottom). Each stage counts itself through its base type; a packet stops at the first
 * stage that drops or consumes it. Event loop.
 *
 * <p>Ownership: {@link #receive} takes the packet (a heap copy of the datagram, still encrypted);
 * stages pass it down, the one that drops it has it released, the RTCP split and the fan-out
 * consume it. Should every stage let it through, it is released here.
 */
final class ReceivePipeline {
    /** Meter names of the two stages the endpoint builds and keeps (its feedback and its RTCP read their state). */
    static final String TRANSPORT_CC = "transport_cc";
    static final String SSRC_ROUTING = "ssrc_routing";

    private final ReceivedPacket context = new ReceivedPacket();
    private final PacketStage<ReceivedPacket>[] stages;

    @SuppressWarnings("unchecked")
    ReceivePipeline(Endpoint endpoint, IncomingRtcp rtcp, SsrcRouting routing, TransportCcRecording transportCc) {
        MediaMetrics metrics = endpoint.context().metrics();
        this.stages = new PacketStage[] {
                new SrtpDecrypt(metrics.stage(Direction.RECEIVE, "srtp_decrypt"), endpoint::authenticated),
                new RtcpSplit(metrics.stage(Direction.RECEIVE, "rtcp_split"), rtcp::read),
                transportCc,
                routing,
                new SourceHistory(metrics.stage(Direction.RECEIVE, "source_history")),
                new KeyframeTracking(metrics.stage(Direction.RECEIVE, "keyframe_tracking"), endpoint.context().nanoClock()),
                new AudioLevelReading(metrics.stage(Direction.RECEIVE, "audio_level"), endpoint.conference()::audioLevel),
                new FanOut(metrics.stage(Direction.RECEIVE, "fan_out"), endpoint.context().transport(),
                        endpoint.context().nanoClock()),
        };
    }

    /**
     * Takes ownership of {@code packet}, SRTP or SRTCP decrypted with {@code srtp}.
     *
     * @param elsewhere the sender when it is not the selected remote address, else null
     */
    void receive(ByteBuf packet, SrtpTransformer srtp, InetSocketAddress elsewhere) {
        ReceivedPacket facts = context.reset(srtp, elsewhere);
        for (int i = 0; i < stages.length; i++) {
            if (!stages[i].process(packet, facts)) {
                return;
            }
        }
        packet.release();
    }
}
