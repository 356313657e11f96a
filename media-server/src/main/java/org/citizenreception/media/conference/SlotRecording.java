package org.citizenreception.media.conference;

import java.net.InetSocketAddress;
import org.citizenreception.media.sdp.MediaKind;

/**
 * The recorder's subscription to one stage slot (audio and video), sending plain RTP to a local
 * muxer: created by {@link Conference#record}, ended by {@link #close()} (idempotent; the conference
 * closing ends it too). The muxer gets each kind on its own port and the RTCP sender reports on the
 * port above it, as an SDP file with those ports describes (RFC 3550 section 11: RTCP on RTP + 1).
 *
 * <p>What the application reads here (packets, first packet time, last packet time) lets it tell a
 * stalled muxer from an idle slot and align the slots' recordings on the wall clock.
 */
public final class SlotRecording implements AutoCloseable {
    /** The payload types the muxer's SDP announces (the taps rewrite every packet to them). */
    public static final int AUDIO_PAYLOAD_TYPE = 111;
    public static final int VIDEO_PAYLOAD_TYPE = 96;

    private final SlotName slot;
    private final MediaSlot audioSlot;
    private final MediaSlot videoSlot;
    private final RecordingTap audio;
    private final RecordingTap video;
    private volatile boolean closed;

    SlotRecording(SlotName slot, Stage stage, BridgeContext context, InetSocketAddress audioRtp, InetSocketAddress videoRtp) {
        this.slot = slot;
        this.audioSlot = stage.slot(slot, MediaKind.AUDIO);
        this.videoSlot = stage.slot(slot, MediaKind.VIDEO);
        long startNanos = context.nanoClock().getAsLong();
        long startUnixMillis = System.currentTimeMillis();
        this.audio = new RecordingTap(audioSlot, context, audioRtp, AUDIO_PAYLOAD_TYPE, 48_000, startNanos, startUnixMillis);
        this.video = new RecordingTap(videoSlot, context, videoRtp, VIDEO_PAYLOAD_TYPE, 90_000, startNanos, startUnixMillis);
        // the reports go first: the muxer then stamps every packet on the shared clock from the first one
        audio.start();
        video.start();
        audioSlot.recordWith(audio);
        videoSlot.recordWith(video);
    }

    public SlotName slot() {
        return slot;
    }

    /** RTP packets sent to the muxer so far, audio and video. */
    public long packetsSent() {
        return audio.packetsSent() + video.packetsSent();
    }

    /** Payload bytes sent to the muxer so far. */
    public long payloadOctetsSent() {
        return audio.payloadOctetsSent() + video.payloadOctetsSent();
    }

    /** Unix millis of the first packet of either kind, 0 before any: where this slot's file starts. */
    public long firstPacketUnixMillis() {
        long a = audio.firstSentUnixMillis();
        long v = video.firstSentUnixMillis();
        return a == 0 ? v : v == 0 ? a : Math.min(a, v);
    }

    /** True once video has flowed (a keyframe reached the muxer). */
    public boolean hasVideo() {
        return video.hasSentAny();
    }

    /** The bridge's monotonic time of the last packet sent to the muxer, 0 before any. */
    public long lastPacketNanos() {
        return Math.max(audio.lastSentNanos(), video.lastSentNanos());
    }

    /** Asks whoever fills the slot for a keyframe, e.g. after restarting a muxer. */
    public void requestKeyframe() {
        Source source = videoSlot.source();
        if (source != null) {
            source.requestKeyframe();
        }
    }

    /** Once a second, on the event loop. */
    void sendSenderReports() {
        if (!closed) {
            audio.sendSenderReport();
            video.sendSenderReport();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops sending; the slot's viewers are untouched. Idempotent, any thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        audioSlot.stopRecording(audio);
        videoSlot.stopRecording(video);
    }
}
