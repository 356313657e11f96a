package org.citizenreception.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.client.rtp.Bytes;
import org.citizenreception.client.rtp.Rtcp;
import org.citizenreception.client.rtp.RtpWriter;
import org.citizenreception.client.rtp.SendStamp;
import org.citizenreception.client.rtp.Vp8;
import org.citizenreception.client.sdp.SdpAnswer;
import org.citizenreception.client.sdp.SdpOfferBuilder;

/**
 * The host's camera and microphone, synthesised: VP8 shaped like a real encoder's output (a
 * keyframe every {@code keyframeIntervalMillis} and on PLI/FIR, about ten times a delta frame,
 * deltas ±20 %, packets no larger than {@code maxPacketBytes}, marker on a frame's last packet,
 * 15-bit picture id and TL0PICIDX), plus Opus at 50 packets/s of 80–120 bytes with audio level.
 * Every video packet carries a {@link SendStamp}, written as it is handed to the socket; video
 * goes through a pacer ({@link PeerOptions#pacingFactor}) as a browser's does. NACKs are answered from a history of recent
 * packets, as RTX when the answer negotiated it; sender reports go out every RTCP interval.
 */
public final class Publisher extends ClientPeer {
    private static final int HEADER_BYTES = 12 + 4 + 12; // fixed header + extension block
    private static final int SRTP_TAG_BYTES = 16; // the larger of the two profiles' tags
    private static final int MIN_CHUNK = SendStamp.OFFSET + SendStamp.BYTES;
    private static final byte[] MID_AUDIO = "0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MID_VIDEO = "1".getBytes(StandardCharsets.US_ASCII);

    private final ThreadLocalRandom random = ThreadLocalRandom.current();
    private final long audioSsrc = random.nextInt() & 0xFFFFFFFFL;
    private final long videoSsrc = random.nextInt() & 0xFFFFFFFFL;
    private final long rtxSsrc = random.nextInt() & 0xFFFFFFFFL;
    private final RtpWriter writer = new RtpWriter();
    private final byte[] scratch = new byte[1_500];
    private int opusPt = SdpOfferBuilder.OPUS_PT;
    private int vp8Pt = SdpOfferBuilder.VP8_PT;
    private int rtxPt = -1;
    private int extAudioLevel = SdpOfferBuilder.EXT_AUDIO_LEVEL;
    private int extAbsSendTime = SdpOfferBuilder.EXT_ABS_SEND_TIME;
    private int extTransportCc = SdpOfferBuilder.EXT_TRANSPORT_CC;
    private int extMidAudio = SdpOfferBuilder.EXT_MID;
    private int extMidVideo = SdpOfferBuilder.EXT_MID;

    private int videoSeq = random.nextInt(0x10000);
    private int audioSeq = random.nextInt(0x10000);
    private int rtxSeq = random.nextInt(0x10000);
    private int transportSeq;
    private final long videoTsBase = random.nextInt() & 0xFFFFFFFFL;
    private final long audioTsBase = random.nextInt() & 0xFFFFFFFFL;
    private long frameIndex;
    /** The clip frame sent next (see {@link PeerOptions#vp8Clip}). */
    private int clipIndex;
    private long audioIndex;
    private int pictureId = random.nextInt(0x8000);
    private int tl0PicIdx = random.nextInt(0x100);
    private boolean keyframeRequested = true;
    private long mediaStartNanos;
    private long lastKeyframeNanos;

    /** A debt the pacer may catch up at once after a late timer, no more. */
    private static final long PACER_MAX_DEBT_NANOS = 2_000_000;

    /** A built video packet waiting for the pacer; its send-time fields are written when it leaves. */
    private record PacedPacket(byte[] plain, int seq, int payloadAt, int absAt, int tccAt) {
    }

    /** Event loop: video packets not yet sent, oldest first, and the pacer's next send time. */
    private final java.util.ArrayDeque<PacedPacket> paced = new java.util.ArrayDeque<>();
    private long nextPacedNanos;
    private boolean paceScheduled;

    private final byte[][] historyPlain;
    private final byte[][] historyProtected;
    private final int[] historySeq;

    private long videoPackets;
    private long audioPackets;
    private long videoOctets;
    private long audioOctets;
    private long framesSent;
    private long keyframesSent;
    private long plisReceived;
    private long firsReceived;
    private long nacksReceived;
    private long retransmissionsSent;
    private long rtcpReceived;

    Publisher(ClientGroup group, String id, PeerOptions options) {
        super(group, id, options);
        historyPlain = new byte[options.historyPackets][];
        historyProtected = new byte[options.historyPackets][];
        historySeq = new int[options.historyPackets];
    }

    public long videoSsrc() {
        return videoSsrc;
    }

    public long audioSsrc() {
        return audioSsrc;
    }

    @Override
    protected void describe(SdpOfferBuilder offer) {
        offer.sendOnly(audioSsrc, videoSsrc, rtxSsrc, "crl-" + id);
    }

    @Override
    protected void configure(SdpAnswer answer) {
        SdpAnswer.Media audio = answer.media("audio");
        SdpAnswer.Media video = answer.media("video");
        if (audio != null) {
            opusPt = audio.payloadType("opus") >= 0 ? audio.payloadType("opus") : opusPt;
            extAudioLevel = audio.extmapId(SdpOfferBuilder.URI_AUDIO_LEVEL);
            extMidAudio = audio.extmapId(SdpOfferBuilder.URI_MID);
        }
        if (video != null) {
            vp8Pt = video.payloadType("vp8") >= 0 ? video.payloadType("vp8") : vp8Pt;
            rtxPt = video.rtxFor(vp8Pt);
            extAbsSendTime = video.extmapId(SdpOfferBuilder.URI_ABS_SEND_TIME);
            extTransportCc = video.extmapId(SdpOfferBuilder.URI_TRANSPORT_CC);
            extMidVideo = video.extmapId(SdpOfferBuilder.URI_MID);
        }
    }

    @Override
    protected void onSrtpReady() {
        mediaStartNanos = System.nanoTime();
        scheduleNanos(this::sendFrame, 0, 1_000_000_000L / options.framesPerSecond);
        scheduleNanos(this::sendAudio, 0, 20_000_000L);
        schedule(this::sendSenderReports, options.rtcpIntervalMillis, options.rtcpIntervalMillis);
    }

    /** Asks for a keyframe at the next frame, as an encoder does on PLI. */
    public void requestKeyframe() {
        Runnable r = () -> keyframeRequested = true;
        if (channel != null) {
            channel.eventLoop().execute(r);
        }
    }

    private void sendFrame() {
        long now = System.nanoTime();
        boolean requested = keyframeRequested;
        boolean key = keyframeRequested
                || now - lastKeyframeNanos >= options.keyframeIntervalMillis * 1_000_000L;
        keyframeRequested = false;
        if (options.vp8Clip != null) {
            sendClipFrame(now, requested); // the clip's own keyframes are its periodic ones
            return;
        }
        int framesPerGop = Math.max(1, options.framesPerSecond * options.keyframeIntervalMillis / 1000);
        long bytesPerGop = (long) options.videoBitrateBps / 8 * options.keyframeIntervalMillis / 1000;
        int deltaBytes = (int) Math.max(MIN_CHUNK, bytesPerGop / (framesPerGop - 1 + 10));
        int frameBytes = key ? deltaBytes * 10 : (int) (deltaBytes * (0.8 + 0.4 * random.nextDouble()));
        int maxChunk = options.maxPacketBytes - HEADER_BYTES - Vp8.DESCRIPTOR_BYTES - SRTP_TAG_BYTES;
        int packets = Math.max(1, (frameBytes + maxChunk - 1) / maxChunk);
        int chunk = Math.max(MIN_CHUNK, frameBytes / packets);
        long timestamp = (videoTsBase + frameIndex * 90_000L / options.framesPerSecond) & 0xFFFFFFFFL;
        for (int i = 0; i < packets; i++) {
            boolean last = i == packets - 1;
            int seq = videoSeq;
            videoSeq = (videoSeq + 1) & 0xFFFF;
            writer.start(scratch, vp8Pt, last, seq, timestamp, videoSsrc).ext(extMidVideo, MID_VIDEO, 1);
            int absAt = valueAt(() -> writer.ext3(extAbsSendTime, 0), 3);
            int tccAt = valueAt(() -> writer.ext2(extTransportCc, 0), 2);
            int at = writer.endExtensions();
            Vp8.writeDescriptor(scratch, at, i == 0, pictureId, tl0PicIdx);
            int payload = at + Vp8.DESCRIPTOR_BYTES;
            fill(payload, chunk);
            if (i == 0) {
                writePayloadHeader(payload, key, frameBytes);
            }
            int length = payload + chunk;
            paced.add(new PacedPacket(java.util.Arrays.copyOf(scratch, length), seq, payload, absAt, tccAt));
        }
        if (options.pacingFactor == 0) {
            while (!paced.isEmpty()) {
                sendVideo(paced.poll());
            }
            flush();
        } else {
            pace();
        }
        frameIndex++;
        framesSent++;
        pictureId = (pictureId + 1) & 0x7FFF;
        tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        if (key) {
            keyframesSent++;
            lastKeyframeNanos = now;
        }
    }

    /**
     * One frame of the clip: the next, or its first (a keyframe) when a keyframe is due; split into
     * packets of at most the usual payload, the descriptor's S bit on the first.
     */
    private void sendClipFrame(long now, boolean keyDue) {
        org.citizenreception.client.rtp.Vp8Clip clip = options.vp8Clip;
        if (keyDue || clipIndex >= clip.frameCount()) {
            clipIndex = 0;
        }
        byte[] frame = clip.frame(clipIndex++);
        boolean key = org.citizenreception.client.rtp.Vp8Clip.isKeyframe(frame);
        int maxChunk = options.maxPacketBytes - HEADER_BYTES - Vp8.DESCRIPTOR_BYTES - SRTP_TAG_BYTES;
        int packets = Math.max(1, (frame.length + maxChunk - 1) / maxChunk);
        int chunk = (frame.length + packets - 1) / packets;
        long timestamp = (videoTsBase + frameIndex * 90_000L / options.framesPerSecond) & 0xFFFFFFFFL;
        for (int i = 0, from = 0; i < packets; i++, from += chunk) {
            int length = Math.min(chunk, frame.length - from);
            int seq = videoSeq;
            videoSeq = (videoSeq + 1) & 0xFFFF;
            writer.start(scratch, vp8Pt, i == packets - 1, seq, timestamp, videoSsrc).ext(extMidVideo, MID_VIDEO, 1);
            int absAt = valueAt(() -> writer.ext3(extAbsSendTime, 0), 3);
            int tccAt = valueAt(() -> writer.ext2(extTransportCc, 0), 2);
            int at = writer.endExtensions();
            Vp8.writeDescriptor(scratch, at, i == 0, pictureId, tl0PicIdx);
            System.arraycopy(frame, from, scratch, at + Vp8.DESCRIPTOR_BYTES, length);
            paced.add(new PacedPacket(java.util.Arrays.copyOf(scratch, at + Vp8.DESCRIPTOR_BYTES + length), seq, -1,
                    absAt, tccAt));
        }
        if (options.pacingFactor == 0) {
            while (!paced.isEmpty()) {
                sendVideo(paced.poll());
            }
            flush();
        } else {
            pace();
        }
        frameIndex++;
        framesSent++;
        pictureId = (pictureId + 1) & 0x7FFF;
        tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        if (key) {
            keyframesSent++;
            lastKeyframeNanos = now;
        }
    }

    /** VP8 frame tag (RFC 6386 9.1): P bit 0 for a keyframe, show_frame, first partition size; then the keyframe start code and 1280x720. */
    private void writePayloadHeader(int at, boolean key, int frameBytes) {
        int partition = Math.min(frameBytes / 4, 0x7FFFF);
        int tag = (key ? 0 : 1) | (0 << 1) | (1 << 4) | (partition << 5);
        scratch[at] = (byte) tag;
        scratch[at + 1] = (byte) (tag >> 8);
        scratch[at + 2] = (byte) (tag >> 16);
        if (key) {
            scratch[at + 3] = (byte) 0x9d;
            scratch[at + 4] = (byte) 0x01;
            scratch[at + 5] = (byte) 0x2a;
            scratch[at + 6] = (byte) (1280 & 0xFF);
            scratch[at + 7] = (byte) (1280 >> 8);
            scratch[at + 8] = (byte) (720 & 0xFF);
            scratch[at + 9] = (byte) (720 >> 8);
        }
    }

    private void fill(int at, int length) {
        for (int i = 0; i < length; i += 8) {
            long r = random.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++) {
                scratch[at + i + j] = (byte) (r >> (8 * j));
            }
        }
    }

    /** Runs {@code write} (one extension element of {@code valueBytes}) and returns where its value went, or -1. */
    private int valueAt(Runnable write, int valueBytes) {
        int before = writer.position();
        write.run();
        return writer.position() > before ? writer.position() - valueBytes : -1;
    }

    /**
     * Sends the queued video packets whose pacing time has come, each flushed on its own, and
     * schedules itself for the next. Event loop.
     */
    private void pace() {
        long now = System.nanoTime();
        if (nextPacedNanos < now - PACER_MAX_DEBT_NANOS) {
            nextPacedNanos = now - PACER_MAX_DEBT_NANOS; // idle time is not saved up for a later burst
        }
        double bitsPerNano = options.pacingFactor * options.videoBitrateBps / 1e9;
        while (!paced.isEmpty() && nextPacedNanos <= now) {
            PacedPacket p = paced.poll();
            nextPacedNanos += (long) (p.plain.length * 8 / bitsPerNano);
            sendVideo(p);
            flush();
        }
        if (!paced.isEmpty() && !paceScheduled && channel != null && !isClosed()) {
            paceScheduled = true;
            channel.eventLoop().schedule(() -> {
                paceScheduled = false;
                if (!isClosed()) {
                    pace();
                }
            }, Math.max(0, nextPacedNanos - now), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Stamps one video packet as it leaves (send stamp, abs-send-time, transport-wide sequence
     * number in send order), protects and writes it (not flushed).
     */
    private void sendVideo(PacedPacket p) {
        long now = System.nanoTime();
        if (p.absAt >= 0) {
            Bytes.put24(p.plain, p.absAt, RtpWriter.absSendTime(now));
        }
        if (p.tccAt >= 0) {
            Bytes.put16(p.plain, p.tccAt, transportSeq++ & 0xFFFF);
        }
        if (p.payloadAt >= 0) { // a clip's real VP8 carries no stamp
            SendStamp.write(p.plain, p.payloadAt, now);
        }
        byte[] sent = sendRtp(p.plain, p.plain.length);
        if (sent != null) {
            remember(p.seq, p.plain, sent);
            videoPackets++;
            videoOctets += p.plain.length - 12;
        }
    }

    private void sendAudio() {
        int seq = audioSeq;
        audioSeq = (audioSeq + 1) & 0xFFFF;
        long timestamp = (audioTsBase + audioIndex++ * 960) & 0xFFFFFFFFL;
        int level = 30 + random.nextInt(40); // -dBov: quiet speech
        writer.start(scratch, opusPt, false, seq, timestamp, audioSsrc)
                .ext(extMidAudio, MID_AUDIO, 1)
                .ext1(extAudioLevel, 0x80 | level)
                .ext3(extAbsSendTime, RtpWriter.absSendTime(System.nanoTime()))
                .ext2(extTransportCc, transportSeq++ & 0xFFFF);
        int at = writer.endExtensions();
        int size = 80 + random.nextInt(41);
        fill(at, size);
        scratch[at] = (byte) 0x78; // Opus TOC: config 15 (hybrid fullband 20 ms), mono, one frame
        if (sendRtp(scratch, at + size) != null) {
            audioPackets++;
            audioOctets += at + size - 12;
        }
        flush();
    }

    private void remember(int seq, byte[] plain, byte[] protectedBytes) {
        int slot = seq & (historySeq.length - 1);
        historySeq[slot] = seq;
        historyPlain[slot] = plain;
        historyProtected[slot] = protectedBytes;
    }

    private void retransmit(int seq) {
        int slot = seq & (historySeq.length - 1);
        if (historyPlain[slot] == null || historySeq[slot] != seq) {
            return;
        }
        retransmissionsSent++;
        if (rtxPt < 0) {
            sendProtected(historyProtected[slot]); // same bytes again: no keystream reuse
            return;
        }
        byte[] original = historyPlain[slot];
        int payloadAt = payloadOffset(original);
        int rseq = rtxSeq;
        rtxSeq = (rtxSeq + 1) & 0xFFFF;
        writer.start(scratch, rtxPt, (original[1] & 0x80) != 0, rseq, Bytes.u32(original, 4), rtxSsrc)
                .ext(extMidVideo, MID_VIDEO, 1)
                .ext3(extAbsSendTime, RtpWriter.absSendTime(System.nanoTime()))
                .ext2(extTransportCc, transportSeq++ & 0xFFFF);
        int at = writer.endExtensions();
        Bytes.put16(scratch, at, seq);
        System.arraycopy(original, payloadAt, scratch, at + 2, original.length - payloadAt);
        sendRtp(scratch, at + 2 + original.length - payloadAt);
    }

    private static int payloadOffset(byte[] p) {
        int at = 12 + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0) {
            at += 4 + 4 * Bytes.u16(p, at + 2);
        }
        return at;
    }

    private void sendSenderReports() {
        long now = System.nanoTime();
        long elapsed = now - mediaStartNanos;
        long wall = System.currentTimeMillis();
        long videoTs = (videoTsBase + elapsed * 90 / 1_000_000) & 0xFFFFFFFFL;
        long audioTs = (audioTsBase + elapsed * 48 / 1_000_000) & 0xFFFFFFFFL;
        sendRtcp(Rtcp.senderReport(videoSsrc, wall, videoTs, videoPackets, videoOctets));
        sendRtcp(Rtcp.senderReport(audioSsrc, wall, audioTs, audioPackets, audioOctets));
    }

    @Override
    protected void onRtp(byte[] data, int length, long receivedNanos) {
        otherDrops.incrementAndGet(); // a sendonly peer expects no media
    }

    @Override
    protected void onRtcp(byte[] data, int length) {
        rtcpReceived++;
        Rtcp.walk(data, length, new Rtcp.Visitor() {
            @Override
            public void pli(long senderSsrc, long mediaSsrc) {
                if (mediaSsrc == videoSsrc) {
                    plisReceived++;
                    keyframeRequested = true;
                }
            }

            @Override
            public void fir(long senderSsrc, long mediaSsrc) {
                if (mediaSsrc == videoSsrc) {
                    firsReceived++;
                    keyframeRequested = true;
                }
            }

            @Override
            public void nack(long senderSsrc, long mediaSsrc, int sequence) {
                if (mediaSsrc == videoSsrc) {
                    nacksReceived++;
                    retransmit(sequence);
                }
            }
        });
        flush();
    }

    public PublisherStats stats() {
        return onEventLoop(() -> new PublisherStats(id, videoPackets, audioPackets, bytesOut.get(), framesSent,
                keyframesSent, plisReceived, firsReceived, nacksReceived, retransmissionsSent, rtcpReceived,
                srtpAuthFailures.get(), otherDrops.get()));
    }
}
