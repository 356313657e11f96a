package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream a publishing endpoint sends (one SSRC, audio or video), owned by that endpoint. When
 * placed in a {@link MediaSlot} every packet it sends goes to the slot's subscribers.
 *
 * <p>Keyframe requests from any number of viewers are merged here: at most one PLI per
 * {@code keyframeRequestInterval} reaches the publisher, so a join storm costs it one keyframe.
 */
public final class Source {
    private static final Logger log = LoggerFactory.getLogger(Source.class);

    private final String id;
    private final Endpoint owner;
    private final String kind;
    private final boolean h264;
    private final int payloadType;
    private final int clockRateHz;
    private volatile int ssrc;
    private volatile MediaSlot slot;
    /** Event-loop state. */
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    private int highestSequence = -1;
    private int sequenceCycles;
    private long packets;
    private long lastSrNtpMiddle;
    private long lastSrReceivedNanos;
    private volatile boolean closed;

    Source(Endpoint owner, String kind, int ssrc, int payloadType, String codecName, int clockRateHz) {
        this.id = owner.id() + "-" + kind;
        this.owner = owner;
        this.kind = kind;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.h264 = codecName.equalsIgnoreCase("H264");
        this.clockRateHz = clockRateHz;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public int ssrc() {
        return ssrc;
    }

    public boolean isVideo() {
        return kind.equals("video");
    }

    int payloadType() {
        return payloadType;
    }

    int clockRateHz() {
        return clockRateHz;
    }

    Endpoint owner() {
        return owner;
    }

    /** For an offer without a=ssrc: the first RTP packet with our payload type names the SSRC. */
    void learnSsrc(int learned) {
        log.info("{} learned ssrc {}", id, Integer.toUnsignedString(learned));
        this.ssrc = learned;
    }

    void placed(MediaSlot into) {
        slot = into;
        log.info("{} placed in slot {}", id, into);
    }

    void unplaced(MediaSlot from) {
        if (slot == from) {
            slot = null;
            log.info("{} left slot {}", id, from);
        }
    }

    /**
     * Fans the decrypted packet out to the slot's subscribers. Takes ownership of {@code plain} and
     * releases it after the loop: each subscriber made its own pooled copy. Event loop only.
     */
    void forward(ByteBuf plain) {
        try {
            packets++;
            trackSequence(PacketBits.sequenceNumber(plain));
            MediaSlot current = slot;
            if (current == null || current.source() != this || closed) {
                return;
            }
            boolean keyframe = isVideo() && PacketBits.isKeyframeStart(plain, h264);
            long now = owner.context().nanoClock().getAsLong();
            for (Subscription subscription : current.subscriptions()) {
                subscription.forward(this, plain, keyframe, now);
            }
        } finally {
            plain.release();
        }
    }

    private void trackSequence(int sequence) {
        if (highestSequence < 0) {
            highestSequence = sequence;
        } else if ((short) (sequence - highestSequence) > 0) {
            if (sequence < highestSequence) {
                sequenceCycles++;
            }
            highestSequence = sequence;
        }
    }

    /** Extended highest sequence number received (RFC 3550 A.1), for receiver reports. */
    long extendedHighestSequence() {
        return ((long) sequenceCycles << 16) | Math.max(0, highestSequence);
    }

    long packets() {
        return packets;
    }

    void senderReportReceived(long ntpMiddle, long nowNanos) {
        lastSrNtpMiddle = ntpMiddle;
        lastSrReceivedNanos = nowNanos;
    }

    long lastSrNtpMiddle() {
        return lastSrNtpMiddle;
    }

    /** Delay since the last SR in 1/65536 s, 0 when none (RFC 3550 6.4.1 DLSR). */
    long delaySinceLastSr(long nowNanos) {
        return lastSrReceivedNanos == 0 ? 0 : (nowNanos - lastSrReceivedNanos) * 65536 / 1_000_000_000L;
    }

    /** Asks the publisher for a keyframe unless one was asked for within the interval. Any thread. */
    void requestKeyframe() {
        if (!isVideo() || closed) {
            return;
        }
        owner.runOnEventLoop(() -> {
            long now = owner.context().nanoClock().getAsLong();
            if (now - lastKeyframeRequestNanos < owner.context().keyframeRequestIntervalNanos()) {
                return;
            }
            if (owner.sendPli(ssrc)) {
                lastKeyframeRequestNanos = now;
                log.debug("{} keyframe requested", id);
            }
        });
    }

    /** Leaves the slot. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        MediaSlot current = slot;
        if (current != null) {
            current.remove(this);
            slot = null;
        }
    }
}
