package org.citizenreception.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.citizenreception.client.feedback.FeedbackTicker;
import org.citizenreception.client.feedback.NackRequester;
import org.citizenreception.client.feedback.TransportCcReceiver;
import org.citizenreception.client.rtp.Bytes;
import org.citizenreception.client.rtp.Rtcp;
import org.citizenreception.client.rtp.RtpHeader;
import org.citizenreception.client.rtp.RtpWriter;
import org.citizenreception.client.rtp.SendStamp;
import org.citizenreception.client.rtp.Vp8;
import org.citizenreception.client.sdp.SdpAnswer;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.citizenreception.client.stats.LatencyHistogram;
import org.citizenreception.client.stats.SequenceTracker;

/**
 * A room's player: offers recvonly audio + video, decrypts everything, and measures it per SSRC —
 * packets, bytes, loss and reordering from sequence numbers, duplicates, forwarding latency, and
 * the time from joining to the first complete VP8 keyframe. Sends receiver reports, a PLI when no
 * keyframe came within {@code pliAfterMillis} (repeated until one does), and generic NACKs for gaps
 * when enabled.
 *
 * <p>With {@link PeerOptions#libwebrtcFeedback} it answers as a libwebrtc receiver does instead, so
 * the server's per-viewer feedback work is part of what a benchmark measures: a receiver report per
 * stream from that stream's own local SSRC with an SDES CNAME (video every ~1 s, audio every ~5 s,
 * each interval drawn from 0.5-1.5 of it: libwebrtc's RTCPSender), transport-cc feedback at
 * libwebrtc's interval when packets carry a transport-wide sequence number, else REMB with the
 * video report (libwebrtc's receive-side estimator when the sender stamps none), NACKs through
 * {@link NackRequester}, and a PLI when a loss was given up (repeated every {@code pliAfterMillis}
 * until a keyframe completes). All of it runs from the group's {@link FeedbackTicker}: no timer of
 * its own, and the packets are written into one scratch array and sent from pooled buffers.
 */
public final class Viewer extends ClientPeer {
    private static final long VIDEO_REPORT_NANOS = 1_000_000_000L;
    private static final long AUDIO_REPORT_NANOS = 5_000_000_000L;
    private static final long NACK_PROCESS_NANOS = 20_000_000L;
    private final long localSsrc = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;
    /** libwebrtc's audio receive stream reports from its own local SSRC. */
    private final long audioLocalSsrc = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;
    private final byte[] feedbackScratch = new byte[Math.max(1_500, TransportCcReceiver.maxFeedbackBytes())];
    private final int[] nackScratch = new int[256];
    private final TransportCcReceiver transportCc = new TransportCcReceiver();
    private final NackRequester nackRequester = new NackRequester(NackRequester.DEFAULT_RTT_NANOS);
    private final AtomicLong rtcpSent = new AtomicLong();
    private final AtomicLong transportCcFeedbackSent = new AtomicLong();
    private final AtomicLong rembSent = new AtomicLong();
    private int transportCcId = -1;
    /** Whether packets without a transport-wide sequence number arrived since the last video report: they feed the REMB. */
    private boolean packetsWithoutTransportSequence;
    private FeedbackTicker.Tickable ticker;
    private long nextVideoReportNanos;
    private long nextAudioReportNanos;
    private long nextTransportCcNanos;
    private long nextNackNanos;
    private long lastPliNanos;
    private boolean keyframeWanted;
    private long rateWindowStartNanos;
    private long rateWindowBytes;
    private long receivedBitrateBps;
    private long videoDropCounter;
    private final RtpHeader header = new RtpHeader();
    private final int[] extLength = new int[1];
    private final Map<Long, Stream> streams = new LinkedHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private int opusPt = SdpOfferBuilder.OPUS_PT;
    private int vp8Pt = SdpOfferBuilder.VP8_PT;
    private int rtxPt = SdpOfferBuilder.RTX_PT;
    private int absSendTimeId = SdpOfferBuilder.EXT_ABS_SEND_TIME;
    private long announcedVideoSsrc = -1;
    private final Map<Long, Long> rtxToMedia = new LinkedHashMap<>();
    private final Map<Long, Long> replayDuplicates = new LinkedHashMap<>();
    private long videoSsrc = -1;
    private long firstKeyframeNanos;
    private long keyframesComplete;
    private long keyframeStarts;
    private long plisSent;
    private long nacksSent;
    // The keyframe being assembled.
    private long kfTimestamp = -1;
    private long kfFirst;
    private long kfLast = -1;
    private int kfPackets;

    private static final class Stream {
        final long ssrc;
        final String kind;
        final SequenceTracker sequences = new SequenceTracker();
        long bytes;
        long retransmissions;
        long lastSrNtp;
        long lastSrNanos;

        Stream(long ssrc, String kind) {
            this.ssrc = ssrc;
            this.kind = kind;
        }
    }

    Viewer(ClientGroup group, String id, PeerOptions options) {
        super(group, id, options);
    }

    @Override
    protected void describe(SdpOfferBuilder offer) {
        offer.recvOnly();
    }

    @Override
    protected void configure(SdpAnswer answer) {
        SdpAnswer.Media audio = answer.media("audio");
        SdpAnswer.Media video = answer.media("video");
        if (audio != null && audio.payloadType("opus") >= 0) {
            opusPt = audio.payloadType("opus");
        }
        if (video != null) {
            if (video.payloadType("vp8") >= 0) {
                vp8Pt = video.payloadType("vp8");
            }
            rtxPt = video.rtxFor(vp8Pt);
            absSendTimeId = video.extmapId(SdpOfferBuilder.URI_ABS_SEND_TIME);
            transportCcId = video.extmapId(SdpOfferBuilder.URI_TRANSPORT_CC);
            for (Map.Entry<Long, Long> e : video.fid.entrySet()) {
                rtxToMedia.put(e.getValue(), e.getKey());
            }
            for (long ssrc : video.ssrcs) {
                if (!rtxToMedia.containsKey(ssrc)) {
                    announcedVideoSsrc = ssrc;
                    break;
                }
            }
        }
    }

    @Override
    protected void onSrtpReady() {
        if (options.libwebrtcFeedback) {
            long now = System.nanoTime();
            nextVideoReportNanos = now + randomized(VIDEO_REPORT_NANOS) / 2;
            nextAudioReportNanos = now + randomized(AUDIO_REPORT_NANOS) / 2;
            nextTransportCcNanos = now + TransportCcReceiver.MIN_INTERVAL_NANOS;
            nextNackNanos = now + NACK_PROCESS_NANOS;
            rateWindowStartNanos = now;
            lastPliNanos = now;
            ticker = this::tick;
            group.feedbackTicker().add(channel.eventLoop(), ticker);
            return;
        }
        schedule(this::sendReceiverReport, options.rtcpIntervalMillis, options.rtcpIntervalMillis);
        if (options.pliAfterMillis > 0) {
            schedule(this::keyframeWatchdog, options.pliAfterMillis, options.pliAfterMillis);
        }
    }

    @Override
    protected void onRtp(byte[] data, int length, long receivedNanos) {
        if (!header.parse(data, length)) {
            otherDrops.incrementAndGet();
            return;
        }
        int pt = header.payloadType;
        if (options.dropEveryNthVideoPacket > 0 && pt == vp8Pt
                && ++videoDropCounter % options.dropEveryNthVideoPacket == 0) {
            return; // "lost on the line": nothing below sees it, as with a real loss
        }
        if (options.libwebrtcFeedback) {
            rateWindowBytes += length;
            int at = transportCcId > 0 ? header.extension(transportCcId, extLength) : -1;
            if (at >= 0 && extLength[0] == 2) {
                transportCc.onPacket(Bytes.u16(data, at), receivedNanos);
            } else {
                packetsWithoutTransportSequence = true;
            }
        }
        if (pt == rtxPt && rtxPt >= 0) {
            onRetransmission(data, receivedNanos);
            return;
        }
        String kind = pt == vp8Pt ? "video" : pt == opusPt ? "audio" : "other";
        Stream s = stream(header.ssrc, kind);
        SequenceTracker.Kind k = s.sequences.record(header.sequence);
        if (k == SequenceTracker.Kind.DUPLICATE) {
            return;
        }
        s.bytes += length;
        if (kind.equals("video")) {
            videoSsrc = header.ssrc;
            long ext = s.sequences.lastExtended;
            if (options.libwebrtcFeedback) {
                if (nackRequester.onPacket(ext)) {
                    sendNacks(s.ssrc, receivedNanos);
                }
            } else if (k == SequenceTracker.Kind.NEW && options.nack) {
                nackGap(s, ext);
            }
            onVideoPayload(data, ext, receivedNanos, k == SequenceTracker.Kind.NEW);
        }
    }

    private void onRetransmission(byte[] data, long receivedNanos) {
        if (header.payloadLength < 2) {
            return;
        }
        Long media = rtxToMedia.get(header.ssrc);
        long mediaSsrc = media != null ? media : videoSsrc;
        Stream s = streams.get(mediaSsrc);
        if (s == null) {
            return;
        }
        int osn = Bytes.u16(data, header.payloadOffset);
        SequenceTracker.Kind k = s.sequences.record(osn);
        if (k != SequenceTracker.Kind.DUPLICATE) {
            if (options.libwebrtcFeedback) {
                nackRequester.onPacket(s.sequences.lastExtended);
            }
            s.retransmissions++;
            s.bytes += header.payloadLength - 2;
            // Shift the payload over the OSN so keyframe assembly sees the original packet layout.
            System.arraycopy(data, header.payloadOffset + 2, data, header.payloadOffset, header.payloadLength - 2);
            header.payloadLength -= 2;
            onVideoPayload(data, s.sequences.lastExtended, receivedNanos, false);
        }
    }

    private void onVideoPayload(byte[] data, long ext, long receivedNanos, boolean original) {
        int at = header.payloadOffset;
        int len = header.payloadLength;
        int d = Vp8.descriptorLength(data, at, len);
        if (d < 0) {
            return;
        }
        if (original) {
            long stamp = SendStamp.read(data, at + d, len - d);
            if (stamp != Long.MIN_VALUE && receivedNanos - stamp >= 0 && receivedNanos - stamp < 10_000_000_000L) {
                latency.record((receivedNanos - stamp) / 1_000);
            } else {
                int abs = header.extension(absSendTimeId, extLength);
                if (abs >= 0 && extLength[0] == 3) {
                    long diff = (RtpWriter.absSendTime(receivedNanos) - Bytes.u24(data, abs)) & 0xFFFFFF;
                    if (diff < (1 << 18) * 2) { // under 2 s: the same clock
                        latency.record(diff * 1_000_000L >> 18);
                    }
                }
            }
        }
        if (Vp8.isKeyframeStart(data, at, len)) {
            keyframeStarts++;
            if (kfTimestamp != header.timestamp) {
                kfTimestamp = header.timestamp;
                kfFirst = ext;
                kfLast = -1;
                kfPackets = 0;
            }
        }
        if (header.timestamp == kfTimestamp) {
            kfPackets++;
            if (header.marker) {
                kfLast = ext;
            }
            if (kfLast >= 0 && kfPackets == kfLast - kfFirst + 1) {
                keyframesComplete++;
                keyframeWanted = false;
                if (firstKeyframeNanos == 0) {
                    firstKeyframeNanos = receivedNanos;
                }
                kfTimestamp = -1;
            }
        }
    }

    private void nackGap(Stream s, long ext) {
        long gapStart = ext - 1;
        int missing = 0;
        int[] seqs = new int[64];
        for (long e = gapStart; e > ext - 64 && e >= 0 && missing < seqs.length; e--) {
            if (s.sequences.received(e)) {
                break;
            }
            seqs[missing++] = (int) (e & 0xFFFF);
        }
        if (missing > 0 && missing < 64) {
            nacksSent++;
            sendRtcp(Rtcp.compound(receiverReport(), Rtcp.nack(localSsrc, s.ssrc, seqs, missing)));
        }
    }

    /** Everything due at {@code nowNanos}; from the group's ticker on this viewer's event loop. */
    private void tick(long nowNanos) {
        if (isClosed()) {
            return;
        }
        if (nowNanos - rateWindowStartNanos >= VIDEO_REPORT_NANOS) {
            receivedBitrateBps = rateWindowBytes * 8 * 1_000_000_000L / (nowNanos - rateWindowStartNanos);
            rateWindowBytes = 0;
            rateWindowStartNanos = nowNanos;
        }
        if (nowNanos - nextNackNanos >= 0) {
            nextNackNanos = nowNanos + NACK_PROCESS_NANOS;
            if (videoSsrc >= 0) {
                sendNacks(videoSsrc, nowNanos);
            }
        }
        if (transportCcId > 0 && nowNanos - nextTransportCcNanos >= 0) {
            nextTransportCcNanos = nowNanos + TransportCcReceiver.intervalNanos(receivedBitrateBps);
            long media = videoSsrc >= 0 ? videoSsrc : announcedVideoSsrc;
            int n = transportCc.writeFeedback(feedbackScratch, localSsrc, Math.max(0, media));
            if (n > 0) {
                transportCcFeedbackSent.incrementAndGet();
                sendFeedback(n);
            }
        }
        if (nowNanos - nextVideoReportNanos >= 0) {
            nextVideoReportNanos = nowNanos + randomized(VIDEO_REPORT_NANOS);
            // libwebrtc chooses per packet: with a transport-wide number, send-side feedback; without, its REMB estimator.
            // (the bridge stamps only its probe padding, so both run side by side there)
            sendStreamReport("video", localSsrc, packetsWithoutTransportSequence || !transportCc.hasRecorded());
            packetsWithoutTransportSequence = false;
        }
        if (nowNanos - nextAudioReportNanos >= 0) {
            nextAudioReportNanos = nowNanos + randomized(AUDIO_REPORT_NANOS);
            sendStreamReport("audio", audioLocalSsrc, false);
        }
        if (nackRequester.takeKeyframeNeeded()) {
            keyframeWanted = true;
            lastPliNanos = nowNanos - options.pliAfterMillis * 1_000_000L; // at once, then each period
        }
        boolean waitingForFirst = firstKeyframeNanos == 0 && options.pliAfterMillis > 0;
        if ((keyframeWanted || waitingForFirst) && options.pliAfterMillis > 0
                && nowNanos - lastPliNanos >= options.pliAfterMillis * 1_000_000L) {
            long target = videoSsrc >= 0 ? videoSsrc : announcedVideoSsrc;
            if (target >= 0) {
                lastPliNanos = nowNanos;
                plisSent++;
                byte[] pli = Rtcp.compound(reportFor("video", localSsrc), Rtcp.pli(localSsrc, target));
                rtcpSent.incrementAndGet();
                sendRtcp(pli, pli.length);
            }
        }
    }

    private void sendNacks(long mediaSsrc, long nowNanos) {
        int n = nackRequester.due(nowNanos, nackScratch);
        if (n > 0) {
            nacksSent++;
            byte[] nack = Rtcp.nack(localSsrc, mediaSsrc, nackScratch, n);
            System.arraycopy(nack, 0, feedbackScratch, 0, nack.length);
            sendFeedback(nack.length);
        }
    }

    /** One stream's report: RR with its block, SDES CNAME, and REMB on video when there is no transport-cc. */
    private void sendStreamReport(String kind, long fromSsrc, boolean withRemb) {
        byte[] rr = reportFor(kind, fromSsrc);
        if (rr == null) {
            return;
        }
        byte[] sdes = Rtcp.sdesCname(fromSsrc, "crl-viewer");
        byte[] compound;
        if (withRemb && videoSsrc >= 0) {
            rembSent.incrementAndGet();
            // libwebrtc's estimate sits above what arrives while nothing is lost; 1.5x is its AIMD ceiling.
            compound = Rtcp.compound(rr, sdes, Rtcp.remb(fromSsrc, Math.max(30_000, receivedBitrateBps * 3 / 2), videoSsrc));
        } else {
            compound = Rtcp.compound(rr, sdes);
        }
        System.arraycopy(compound, 0, feedbackScratch, 0, compound.length);
        sendFeedback(compound.length);
    }

    private void sendFeedback(int length) {
        rtcpSent.incrementAndGet();
        sendRtcp(feedbackScratch, length);
    }

    /** A receiver report from {@code fromSsrc} with one block per received stream of {@code kind}; null if none yet. */
    private byte[] reportFor(String kind, long fromSsrc) {
        List<Rtcp.ReportBlock> blocks = new ArrayList<>(1);
        long now = System.nanoTime();
        for (Stream s : streams.values()) {
            if (s.kind.equals(kind)) {
                blocks.add(block(s, now));
            }
        }
        if (blocks.isEmpty() && kind.equals("audio")) {
            return null;
        }
        return Rtcp.receiverReport(fromSsrc, blocks);
    }

    private static long randomized(long intervalNanos) {
        return intervalNanos / 2 + ThreadLocalRandom.current().nextLong(intervalNanos);
    }

    /** Feedback packets (compound RTCP) this viewer sent. */
    public long rtcpPacketsSent() {
        return rtcpSent.get();
    }

    public long transportCcFeedbackSent() {
        return transportCcFeedbackSent.get();
    }

    public long rembSent() {
        return rembSent.get();
    }

    @Override
    public void close() {
        FeedbackTicker.Tickable t = ticker;
        io.netty.channel.Channel c = channel;
        if (t != null && c != null) {
            c.eventLoop().execute(() -> group.feedbackTicker().remove(c.eventLoop(), t));
        }
        super.close();
    }

    private void keyframeWatchdog() {
        if (firstKeyframeNanos != 0) {
            return;
        }
        long target = videoSsrc >= 0 ? videoSsrc : announcedVideoSsrc;
        if (target < 0) {
            return; // nothing to name yet: a PLI must carry the media SSRC
        }
        plisSent++;
        sendRtcp(Rtcp.compound(receiverReport(), Rtcp.pli(localSsrc, target)));
    }

    private void sendReceiverReport() {
        sendRtcp(receiverReport());
    }

    private byte[] receiverReport() {
        List<Rtcp.ReportBlock> blocks = new ArrayList<>();
        long now = System.nanoTime();
        for (Stream s : streams.values()) {
            blocks.add(block(s, now));
        }
        return Rtcp.receiverReport(localSsrc, blocks);
    }

    private static Rtcp.ReportBlock block(Stream s, long now) {
        long dlsr = s.lastSrNanos == 0 ? 0 : ((now - s.lastSrNanos) * 65_536L) / 1_000_000_000L;
        long expected = s.sequences.expected();
        int fraction = expected == 0 ? 0 : (int) Math.min(255, s.sequences.lost() * 256 / expected);
        return new Rtcp.ReportBlock(s.ssrc, fraction, (int) s.sequences.lost(), s.sequences.highest(), 0,
                s.lastSrNtp, s.lastSrNtp == 0 ? 0 : dlsr);
    }

    @Override
    protected void onRtcp(byte[] data, int length) {
        Rtcp.walk(data, length, new Rtcp.Visitor() {
            @Override
            public void senderReport(long senderSsrc, long ntpMiddle32) {
                Stream s = streams.get(senderSsrc);
                if (s != null) {
                    s.lastSrNtp = ntpMiddle32;
                    s.lastSrNanos = System.nanoTime();
                }
            }
        });
    }

    @Override
    protected void onReplay(long ssrc) {
        replayDuplicates.merge(ssrc, 1L, Long::sum); // SRTP's replay window saw it first
    }

    private Stream stream(long ssrc, String kind) {
        Stream s = streams.get(ssrc);
        if (s == null) {
            s = new Stream(ssrc, kind);
            streams.put(ssrc, s);
        }
        return s;
    }

    /** The highest sequence number seen per SSRC, for diagnosing a stream that stopped decrypting. */
    public String highestSequences() {
        return onEventLoop(() -> {
            StringBuilder sb = new StringBuilder();
            for (Stream s : streams.values()) {
                sb.append(s.ssrc).append('/').append(s.kind).append(":highest=").append(s.sequences.highest() & 0xFFFF)
                        .append(" ext=").append(s.sequences.highest()).append(' ');
            }
            return sb.toString().trim();
        });
    }

    /** A snapshot of this viewer's counters, consistent as of one moment on its event loop. */
    public ViewerStats stats() {
        return onEventLoop(() -> {
            List<ViewerStats.Stream> list = new ArrayList<>();
            for (Stream s : streams.values()) {
                SequenceTracker q = s.sequences;
                list.add(new ViewerStats.Stream(s.ssrc, s.kind, q.received(), s.bytes, q.expected(), q.lost(),
                        q.duplicates() + replayDuplicates.getOrDefault(s.ssrc, 0L), q.reordered(), s.retransmissions));
            }
            return new ViewerStats(id, srtpAuthFailures.get(), otherDrops.get(), list, latency.copy(),
                    connectNanos(), firstKeyframeNanos == 0 ? -1 : firstKeyframeNanos - connectStartNanos,
                    firstKeyframeNanos == 0 || readyNanos == 0 ? -1 : firstKeyframeNanos - readyNanos,
                    keyframesComplete, keyframeStarts, plisSent, nacksSent, bytesIn.get());
        });
    }
}
