package org.citizenreception.client;

/**
 * Settings of one peer, with defaults shaped like a browser on a good line. Mutable builder style:
 * {@code PeerOptions.defaults().videoBitrateBps(1_000_000).nack(true)}.
 */
public final class PeerOptions {
    String bindHost = "127.0.0.1";
    int videoBitrateBps = 2_500_000;
    int framesPerSecond = 30;
    int keyframeIntervalMillis = 2_000;
    int maxPacketBytes = 1_200;
    int pliAfterMillis = 500;
    boolean nack;
    int rtcpIntervalMillis = 1_000;
    int consentIntervalMillis = 5_000;
    int consentTimeoutMillis = 30_000;
    int connectTimeoutMillis = 20_000;
    int historyPackets = 1_024;
    double pacingFactor = 2.5;
    boolean libwebrtcFeedback;
    org.citizenreception.client.rtp.Vp8Clip vp8Clip;
    int dropEveryNthVideoPacket;

    public static PeerOptions defaults() {
        return new PeerOptions();
    }

    /** Local address the peer's UDP socket binds and advertises as its host candidate. */
    public PeerOptions bindHost(String host) {
        this.bindHost = host;
        return this;
    }

    public PeerOptions videoBitrateBps(int bps) {
        if (bps < 50_000) {
            throw new IllegalArgumentException("videoBitrateBps must be >= 50000: " + bps);
        }
        this.videoBitrateBps = bps;
        return this;
    }

    public PeerOptions framesPerSecond(int fps) {
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("framesPerSecond must be in 1..120: " + fps);
        }
        this.framesPerSecond = fps;
        return this;
    }

    public PeerOptions keyframeIntervalMillis(int millis) {
        this.keyframeIntervalMillis = millis;
        return this;
    }

    /** Largest SRTP packet the publisher writes, auth tag included. */
    public PeerOptions maxPacketBytes(int bytes) {
        if (bytes < 200 || bytes > 1_400) {
            throw new IllegalArgumentException("maxPacketBytes must be in 200..1400: " + bytes);
        }
        this.maxPacketBytes = bytes;
        return this;
    }

    /** A viewer sends PLI when no complete keyframe arrived this long after SRTP was ready, and again each period. */
    public PeerOptions pliAfterMillis(int millis) {
        this.pliAfterMillis = millis;
        return this;
    }

    /** A viewer sends generic NACKs for sequence gaps. */
    public PeerOptions nack(boolean enabled) {
        this.nack = enabled;
        return this;
    }

    /**
     * A viewer answers on the wire as a libwebrtc receiver does (see {@link Viewer}): receiver
     * reports per stream (video ~1 s, audio ~5 s, each randomized over 0.5-1.5 of it) with SDES,
     * transport-cc feedback every 50-250 ms when the packets carry transport-wide sequence numbers
     * (else REMB with the video report), NACKs with retries, and PLI when a loss is given up.
     * Off by default so the tests written against the simpler viewer keep their counts.
     */
    public PeerOptions libwebrtcFeedback(boolean enabled) {
        this.libwebrtcFeedback = enabled;
        if (enabled) {
            this.nack = true;
        }
        return this;
    }

    /**
     * The publisher sends this clip's real VP8 frames (looped, and restarted at its first keyframe
     * on PLI/FIR) instead of synthetic ones, so real decoders accept the video. Such packets carry
     * no send stamp (it would corrupt the frame); viewers fall back to abs-send-time for latency.
     */
    public PeerOptions vp8Clip(org.citizenreception.client.rtp.Vp8Clip clip) {
        this.vp8Clip = clip;
        return this;
    }

    /**
     * A viewer discards every n-th original video packet after decryption, as if the line lost it
     * (0: none), so NACK, retransmission and keyframe-request paths run on loopback too.
     */
    public PeerOptions dropEveryNthVideoPacket(int n) {
        if (n < 0 || n == 1) {
            throw new IllegalArgumentException("dropEveryNthVideoPacket must be 0 (none) or >= 2: " + n);
        }
        this.dropEveryNthVideoPacket = n;
        return this;
    }

    public PeerOptions rtcpIntervalMillis(int millis) {
        this.rtcpIntervalMillis = millis;
        return this;
    }

    public PeerOptions consentIntervalMillis(int millis) {
        this.consentIntervalMillis = millis;
        return this;
    }

    /** Without a consent response for this long the peer stops sending media (RFC 7675 5.1). */
    public PeerOptions consentTimeoutMillis(int millis) {
        this.consentTimeoutMillis = millis;
        return this;
    }

    public PeerOptions connectTimeoutMillis(int millis) {
        this.connectTimeoutMillis = millis;
        return this;
    }

    /** Packets the publisher keeps to answer NACKs. */
    public PeerOptions historyPackets(int packets) {
        this.historyPackets = Integer.highestOneBit(Math.max(16, packets));
        return this;
    }

    /**
     * Video leaves through a pacer at this multiple of {@code videoBitrateBps}, as libwebrtc's
     * pacer sends (2.5 there too): a keyframe of ~80 packets is spread over ~120 ms instead of one
     * burst. 0 sends each frame's packets back to back, which no browser does.
     */
    public PeerOptions pacingFactor(double factor) {
        if (factor != 0 && factor < 1) {
            throw new IllegalArgumentException("pacingFactor must be 0 (no pacing) or >= 1: " + factor);
        }
        this.pacingFactor = factor;
        return this;
    }
}
