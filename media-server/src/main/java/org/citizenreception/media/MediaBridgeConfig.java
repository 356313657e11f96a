package org.citizenreception.media;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the embedding application tells the bridge at start.
 *
 * @param bindHost             the local address the UDP socket binds to ("::" for all of both families, "0.0.0.0" for all IPv4)
 * @param port                 the single UDP port all endpoints share (0 picks a free one, for tests)
 * @param advertisedAddresses  the host candidates put into SDP answers, in order of preference
 *                             (empty: the bound address)
 * @param consentTimeout       silence after which an endpoint is closed (RFC 7675: 30 s)
 * @param publisherBitrateBps  the bitrate the bridge tells publishers they may use (REMB)
 * @param keyframeRequestInterval the least time between two keyframe requests to one source
 * @param programFollowsDominantSpeaker when true, a viewer that receives only the program (one
 *                             audio and one video m-line) sees whichever slot holds the dominant
 *                             speaker; when false, always the main slot
 * @param interruptAfter       silence after which a connected endpoint is reported interrupted (not
 *                             closed): publishers send media and video viewers RTCP every second, so
 *                             a few seconds of nothing means the line dropped; an endpoint heard only
 *                             every few seconds (consent checks, a sound-only viewer's reports) gets
 *                             two and a half times as long
 * @param retransmissionLimits what one viewer's NACKs may make the bridge resend
 * @param tcpPort              the ICE-TCP listening port (RFC 6544 passive candidates on every advertised
 *                             address), {@value #TCP_OFF} for none, 0 for a free one (tests)
 */
public record MediaBridgeConfig(String bindHost, int port, List<String> advertisedAddresses,
                                Duration consentTimeout, long publisherBitrateBps,
                                Duration keyframeRequestInterval, boolean programFollowsDominantSpeaker,
                                Duration interruptAfter, RetransmissionLimits retransmissionLimits, int tcpPort) {
    /** {@link #tcpPort()} when the bridge offers no ICE-TCP candidates. */
    public static final int TCP_OFF = -1;
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_PUBLISHER_BITRATE_BPS = 2_500_000;
    public static final Duration DEFAULT_KEYFRAME_REQUEST_INTERVAL = Duration.ofMillis(400);
    public static final Duration DEFAULT_INTERRUPT_AFTER = Duration.ofSeconds(5);

    public MediaBridgeConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        advertisedAddresses = List.copyOf(advertisedAddresses);
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consentTimeout must be positive, was " + consentTimeout);
        }
        if (publisherBitrateBps <= 0) {
            throw new IllegalArgumentException("publisherBitrateBps must be positive, was " + publisherBitrateBps);
        }
        Objects.requireNonNull(keyframeRequestInterval, "keyframeRequestInterval");
        Objects.requireNonNull(interruptAfter, "interruptAfter");
        if (interruptAfter.isNegative() || interruptAfter.isZero()) {
            throw new IllegalArgumentException("interruptAfter must be positive, was " + interruptAfter);
        }
        Objects.requireNonNull(retransmissionLimits, "retransmissionLimits");
        if (tcpPort < TCP_OFF || tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort must be -1 (off) or 0..65535, was " + tcpPort);
        }
    }

    /** Without ICE-TCP. */
    public MediaBridgeConfig(String bindHost, int port, List<String> advertisedAddresses,
                             Duration consentTimeout, long publisherBitrateBps,
                             Duration keyframeRequestInterval, boolean programFollowsDominantSpeaker,
                             Duration interruptAfter, RetransmissionLimits retransmissionLimits) {
        this(bindHost, port, advertisedAddresses, consentTimeout, publisherBitrateBps, keyframeRequestInterval,
                programFollowsDominantSpeaker, interruptAfter, retransmissionLimits, TCP_OFF);
    }

    public MediaBridgeConfig(String bindHost, int port, List<String> advertisedAddresses) {
        this(bindHost, port, advertisedAddresses, DEFAULT_CONSENT_TIMEOUT, DEFAULT_PUBLISHER_BITRATE_BPS,
                DEFAULT_KEYFRAME_REQUEST_INTERVAL, false, DEFAULT_INTERRUPT_AFTER, RetransmissionLimits.DEFAULT);
    }

    public MediaBridgeConfig withConsentTimeout(Duration timeout) {
        return new MediaBridgeConfig(bindHost, port, advertisedAddresses, timeout, publisherBitrateBps,
                keyframeRequestInterval, programFollowsDominantSpeaker, interruptAfter, retransmissionLimits, tcpPort);
    }

    public MediaBridgeConfig withProgramFollowingDominantSpeaker(boolean follow) {
        return new MediaBridgeConfig(bindHost, port, advertisedAddresses, consentTimeout, publisherBitrateBps,
                keyframeRequestInterval, follow, interruptAfter, retransmissionLimits, tcpPort);
    }

    public MediaBridgeConfig withInterruptAfter(Duration after) {
        return new MediaBridgeConfig(bindHost, port, advertisedAddresses, consentTimeout, publisherBitrateBps,
                keyframeRequestInterval, programFollowsDominantSpeaker, after, retransmissionLimits, tcpPort);
    }

    public MediaBridgeConfig withRetransmissionLimits(RetransmissionLimits limits) {
        return new MediaBridgeConfig(bindHost, port, advertisedAddresses, consentTimeout, publisherBitrateBps,
                keyframeRequestInterval, programFollowsDominantSpeaker, interruptAfter, limits, tcpPort);
    }

    /** @param port {@value #TCP_OFF} for no ICE-TCP, 0 for a free port */
    public MediaBridgeConfig withTcpPort(int port) {
        return new MediaBridgeConfig(bindHost, this.port, advertisedAddresses, consentTimeout, publisherBitrateBps,
                keyframeRequestInterval, programFollowsDominantSpeaker, interruptAfter, retransmissionLimits, port);
    }
}
