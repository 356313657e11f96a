package org.citizenreception.control.media;

/**
 * The recorder's subscription to one stage slot on whichever bridge runs the conference: what the
 * recording watchdog reads to tell a stalled muxer from an idle slot, and the two things it may do.
 */
public interface SlotFeed extends AutoCloseable {
    /** RTP packets sent to the muxer so far, audio and video. */
    long packetsSent();

    /** Unix millis of the first packet of either kind, 0 before any. */
    long firstPacketUnixMillis();

    /** True once video has flowed. */
    boolean hasVideo();

    /** {@link System#nanoTime()} of this process when the last packet was sent, 0 before any. */
    long lastPacketNanos();

    /** Asks whoever fills the slot for a keyframe. */
    void requestKeyframe();

    /** Stops the feed; idempotent. */
    @Override
    void close();
}
