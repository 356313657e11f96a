package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.Remb;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtcp.TransportCcRecorder;
import org.citizenreception.media.srtp.SrtpTransformer;

/**
 * The RTCP one endpoint sends on timers rather than in answer to a packet: to a publisher the
 * feedback its congestion control and loss recovery run on (transport-cc every 100 ms, NACKs for
 * the bridge's own losses every 100 ms, a receiver report with a REMB once a second); to a viewer
 * the sender reports it lip-syncs with (once a second).
 *
 * <p>A publisher's bandwidth estimate ramps only as fast as its transport-cc feedback comes back:
 * libwebrtc's probes at the start are judged on the per-packet arrival times reported here, so a
 * feedback that skips a tick doubles the wait for a probe's result.
 *
 * <p>Ownership: every packet built here is a fresh pooled buffer handed to {@link Endpoint#send}
 * (which then owns it) or released here when it cannot be protected. Event loop only.
 */
final class PeriodicRtcp {
    /** Room for the SRTCP index and tag. */
    private static final int SRTCP_HEADROOM = 4 + 16;
    /** The interval the receive path's transport-cc recorder is created with (see there why 80 ms). */
    static final long TRANSPORT_CC_INTERVAL_MILLIS = TransportCcRecording.FEEDBACK_INTERVAL_MILLIS;

    private final Endpoint endpoint;
    private final BridgeContext context;
    private final int rtcpSsrc;
    private final boolean publisher;
    private final List<Source> sources;
    private final List<Subscription> subscriptions;
    /** Event-loop scratch for the NACKs sent to a publisher each 100 ms. */
    private final int[] lostScratch = new int[64];
    private final int[] feedbackSsrcs = new int[4];
    /** The receive stage that records a publisher's transport-wide sequence numbers (and owns the recorder). */
    private final TransportCcRecording transportCcRecording;

    /**
     * @param sources       the endpoint's own live list of what it publishes (read, never changed here)
     * @param subscriptions the endpoint's own live list of what it receives (read, never changed here)
     */
    PeriodicRtcp(Endpoint endpoint, BridgeContext context, int rtcpSsrc, boolean publisher,
            List<Source> sources, List<Subscription> subscriptions, TransportCcRecording transportCcRecording) {
        this.endpoint = endpoint;
        this.context = context;
        this.rtcpSsrc = rtcpSsrc;
        this.publisher = publisher;
        this.sources = sources;
        this.subscriptions = subscriptions;
        this.transportCcRecording = transportCcRecording;
    }

    /** Every 100 ms: a publisher's transport-cc feedback when due, then NACKs for what the bridge lost. */
    void fastTick() {
        SrtpTransformer transformer = endpoint.srtpIfConnected();
        if (!publisher || transformer == null) {
            return;
        }
        sendTransportCcFeedback(transformer);
        sendNacks(transformer);
    }

    /** Once a second: a receiver report and REMB to a publisher, sender reports to a viewer. */
    void tick(long nowNanos) {
        SrtpTransformer transformer = endpoint.srtpIfConnected();
        if (transformer == null) {
            return;
        }
        if (publisher) {
            sendReceiverFeedback(transformer, nowNanos);
        } else {
            sendSenderReports(transformer, nowNanos);
        }
    }

    private void sendTransportCcFeedback(SrtpTransformer transformer) {
        TransportCcRecorder transportCc = transportCcRecording.recorder();
        if (transportCc == null || !transportCc.isFeedbackDue()) {
            return;
        }
        ByteBuf feedback = context.transport().alloc().heapBuffer(512);
        if (transportCc.writeFeedback(feedback) == 0 || !transformer.protectRtcp(feedback)) {
            feedback.release();
            return;
        }
        endpoint.send(feedback);
    }

    private void sendNacks(SrtpTransformer transformer) {
        for (Source source : sources) {
            int count = source.collectLosses(lostScratch);
            if (count == 0) {
                continue;
            }
            ByteBuf nack = context.transport().alloc().heapBuffer(12 + 4 * count + SRTCP_HEADROOM);
            GenericNack.write(nack, rtcpSsrc, source.ssrc(), lostScratch, 0, count);
            if (transformer.protectRtcp(nack)) {
                context.metrics().nackRequested();
                endpoint.send(nack);
            } else {
                nack.release();
            }
        }
    }

    /**
     * A receiver report so the publisher's loss-based estimate may rise, and a REMB with the
     * configured bitrate: the ceiling the publisher's own transport-cc estimate ramps up to.
     */
    private void sendReceiverFeedback(SrtpTransformer transformer, long nowNanos) {
        int count = 0;
        for (Source source : sources) {
            if (source.ssrc() != 0 && source.packets() > 0 && count < feedbackSsrcs.length) {
                feedbackSsrcs[count++] = source.ssrc();
            }
        }
        if (count == 0) {
            return;
        }
        ByteBuf rtcp = context.transport().alloc().heapBuffer(
                ReceiverReport.HEADER_LENGTH + ReportBlock.LENGTH * count + 24 + 4 * count + SRTCP_HEADROOM);
        ReceiverReport.write(rtcp, rtcpSsrc, count);
        int written = 0;
        for (Source source : sources) {
            if (source.ssrc() != 0 && source.packets() > 0 && written < count) {
                // loss is not measured yet: fraction and cumulative lost are reported as 0
                ReportBlock.write(rtcp, source.ssrc(), 0, 0, source.extendedHighestSequence(), 0,
                        source.lastSrCompactNtp(), source.delaySinceLastSr(nowNanos));
                written++;
            }
        }
        Remb.write(rtcp, rtcpSsrc, context.publisherBitrateBps(), feedbackSsrcs, count);
        if (transformer.protectRtcp(rtcp)) {
            endpoint.send(rtcp);
        } else {
            rtcp.release();
        }
    }

    /**
     * One SR per stream the viewer receives, the publisher's own NTP/RTP pairing carried through
     * the viewer's timestamp mapping, so the browser can lip-sync audio and video (same CNAME) and
     * measure its RTT. Streams that sent nothing since their last SR are left out, and a viewer with
     * none due gets no packet (nor a buffer allocated and released) that second.
     */
    private void sendSenderReports(SrtpTransformer transformer, long nowNanos) {
        ByteBuf rtcp = null;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            if (!subscription.isSenderReportDue()) {
                continue;
            }
            if (rtcp == null) {
                rtcp = context.transport().alloc().heapBuffer(SenderReport.HEADER_AND_SENDER_INFO_LENGTH * 4 + SRTCP_HEADROOM);
            }
            subscription.writeSenderReport(rtcp, nowNanos);
        }
        if (rtcp == null) {
            return;
        }
        if (transformer.protectRtcp(rtcp)) {
            endpoint.send(rtcp);
        } else {
            rtcp.release();
        }
    }
}
