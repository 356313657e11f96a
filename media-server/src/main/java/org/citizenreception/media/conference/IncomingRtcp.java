package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.LongSupplier;
import org.citizenreception.media.rtcp.Fir;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.LinkFloorApp;
import org.citizenreception.media.rtcp.Pli;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.Remb;
import org.citizenreception.media.rtcp.TransportCcFeedback;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.RtcpCompoundCursor;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;

/**
 * The RTCP an endpoint receives, each packet of a compound sent where it belongs: a viewer's PLI
 * or FIR to the subscription it names (which resends the held keyframe and asks the publisher
 * through the limiter), its NACKs to that subscription's retransmissions, its receiver reports to
 * the subscription's loss statistics; a publisher's sender reports to its {@link Source} (lip sync
 * and RTT for the viewers' own SRs); a viewer's REMB and its reports' loss to its
 * {@link ViewerBandwidth}, which chooses its simulcast layer, and its transport-cc feedback (which
 * reports only the probe padding) to the bandwidth's {@link ProbeArrivals}. Other packets
 * (a publisher's transport-cc, SDES, BYE) are read past: the bridge sets the publisher's bitrate itself.
 *
 * <p>Borrows each packet (the receive path releases it). Event loop; the cursor is reused for
 * every packet, so reading RTCP allocates nothing.
 */
final class IncomingRtcp {
    private final boolean publisher;
    private final List<Subscription> subscriptions;
    private final SsrcRouting sources;
    private final MediaMetrics metrics;
    private final LongSupplier nanoClock;
    private final RtcpCompoundCursor cursor = new RtcpCompoundCursor();
    private final LinkFloorListener linkFloor;
    /** A viewer's estimate, fed by its REMB and its receiver reports' loss; null for a publisher. */
    private final ViewerBandwidth bandwidth;

    /** Where a cascade link's floor signal ({@link LinkFloorApp}) goes. */
    interface LinkFloorListener {
        void signal(int subtype, boolean yours);
    }

    /** Without cascade links: a floor signal is read past. */
    IncomingRtcp(boolean publisher, List<Subscription> subscriptions, SsrcRouting sources, MediaMetrics metrics,
                 LongSupplier nanoClock, ViewerBandwidth bandwidth) {
        this(publisher, subscriptions, sources, metrics, nanoClock, bandwidth, (subtype, yours) -> { });
    }

    /** @param subscriptions the endpoint's live list (read, never changed, here) */
    IncomingRtcp(boolean publisher, List<Subscription> subscriptions, SsrcRouting sources, MediaMetrics metrics,
                 LongSupplier nanoClock, ViewerBandwidth bandwidth, LinkFloorListener linkFloor) {
        this.linkFloor = linkFloor;
        this.bandwidth = bandwidth;
        this.publisher = publisher;
        this.subscriptions = subscriptions;
        this.sources = sources;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    /** Reads a decrypted compound RTCP packet (borrowed). */
    void read(ByteBuf packet) {
        RtcpCompoundCursor packets = cursor.reset(packet);
        long now = nanoClock.getAsLong();
        while (packets.next()) {
            int at = packets.offset();
            int length = packets.length();
            if (Pli.isPli(packet, at, length)) {
                keyframeRequestedFor(Pli.mediaSsrc(packet, at), now);
            } else if (Fir.isFir(packet, at, length)) {
                for (int i = 0; i < Fir.entryCount(length); i++) {
                    keyframeRequestedFor(Fir.targetSsrc(packet, at, i), now);
                }
            } else if (GenericNack.isNack(packet, at, length)) {
                Subscription subscription = subscriptionWithSsrc(GenericNack.mediaSsrc(packet, at));
                if (subscription != null) {
                    GenericNack.forEachLostSequenceNumber(packet, at, length, subscription.retransmitter);
                }
            } else if (LinkFloorApp.isLinkFloor(packet, at, length)) {
                linkFloor.signal(LinkFloorApp.subtype(packet, at), LinkFloorApp.yours(packet, at));
            } else if (!publisher && ReceiverReport.isValid(packet, at, length)) {
                for (int i = 0; i < ReceiverReport.reportCount(packet, at); i++) {
                    int block = ReceiverReport.reportBlockOffset(at, i);
                    Subscription subscription = subscriptionWithSsrc(ReportBlock.sourceSsrc(packet, block));
                    if (subscription != null) {
                        subscription.lossReported(ReportBlock.cumulativeLost(packet, block));
                        if (bandwidth != null && subscription.slot().kind() == MediaKind.VIDEO) {
                            bandwidth.onFractionLost(ReportBlock.fractionLost(packet, block), now);
                        }
                    }
                }
            } else if (!publisher && bandwidth != null && Remb.isRemb(packet, at, length)) {
                long bitrateBps = Remb.bitrateBps(packet, at);
                bandwidth.onRemb(bitrateBps, now);
                metrics.viewerEstimate(bitrateBps);
            } else if (!publisher && bandwidth != null && TransportCcFeedback.isTransportCc(packet, at, length)) {
                bandwidth.probeArrivals().onFeedback(packet, at, length);
            } else if (publisher && SenderReport.isValid(packet, at, length)) {
                Source source = sources.sourceWithSsrc(SenderReport.senderSsrc(packet, at));
                if (source != null) {
                    source.senderReportReceived(SenderReport.ntpTimestamp(packet, at),
                            SenderReport.rtpTimestamp(packet, at), now);
                }
            }
        }
        if (packets.isMalformed()) {
            metrics.dropped(DropReason.RTP_MALFORMED);
        }
    }

    private Subscription subscriptionWithSsrc(int ssrc) {
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            if (subscription.outgoingSsrcBits() == ssrc) {
                return subscription;
            }
        }
        return null;
    }

    private void keyframeRequestedFor(int mediaSsrc, long nowNanos) {
        Subscription subscription = subscriptionWithSsrc(mediaSsrc);
        if (subscription != null) {
            subscription.keyframeRequestedByViewer(nowNanos);
        }
    }
}
