package org.citizenreception.media.conference;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.media.srtp.SrtpTransformer;

/**
 * A viewing endpoint's receipt of one {@link MediaSlot}: a fixed outgoing SSRC announced in the
 * viewer's SDP answer, the viewer's payload type, and the rewriter that keeps the stream
 * continuous whoever fills the slot. Owned by the viewing endpoint.
 */
public final class Subscription {
    /** Room for the SRTP tag (16 for GCM, 10 for HMAC-SHA1-80) after the packet. */
    private static final int TAG_HEADROOM = 16;

    private final String id;
    private final Endpoint viewer;
    private final MediaSlot slot;
    private final int payloadType;
    private final ContinuityRewriter rewriter;
    private final long subscribedNanos;
    private boolean firstKeyframeSent;
    private volatile boolean closed;

    Subscription(Endpoint viewer, MediaSlot slot, int payloadType, int clockRateHz) {
        this.viewer = viewer;
        this.slot = slot;
        this.id = viewer.id() + "-" + slot;
        this.payloadType = payloadType;
        this.rewriter = new ContinuityRewriter(ThreadLocalRandom.current().nextInt() | 1, slot.kind().equals("video"),
                clockRateHz);
        this.subscribedNanos = viewer.context().nanoClock().getAsLong();
    }

    public String id() {
        return id;
    }

    public MediaSlot slot() {
        return slot;
    }

    /** The SSRC the viewer sees for this slot, whoever fills it. */
    public long outgoingSsrc() {
        return Integer.toUnsignedLong(rewriter.outgoingSsrc());
    }

    /**
     * Sends the viewer its own copy of {@code plain} (borrowed, not released here): copy without
     * header extensions (the viewer negotiated none), rewrite, encrypt, write. Event loop only.
     */
    void forward(Source source, ByteBuf plain, boolean keyframe, long nowNanos) {
        if (closed) {
            return;
        }
        SrtpTransformer srtp = viewer.srtpIfConnected();
        if (srtp == null) {
            return;
        }
        int ssrc = PacketBits.ssrc(plain);
        if (!rewriter.accept(ssrc, PacketBits.sequenceNumber(plain), PacketBits.timestamp(plain), keyframe, nowNanos)) {
            source.requestKeyframe();
            return;
        }
        int header = PacketBits.rtpHeaderLength(plain);
        if (header < 0) {
            return;
        }
        int fixed = PacketBits.rtpFixedAndCsrcLength(plain);
        int payload = plain.readableBytes() - header;
        ByteBuf copy = viewer.context().transport().alloc().heapBuffer(fixed + payload + TAG_HEADROOM);
        boolean handedOff = false;
        try {
            copy.writeBytes(plain, plain.readerIndex(), fixed);
            copy.writeBytes(plain, plain.readerIndex() + header, payload);
            copy.setByte(0, copy.getByte(0) & ~0x10);
            copy.setByte(1, (copy.getByte(1) & 0x80) | payloadType);
            rewriter.rewrite(copy, nowNanos);
            if (!srtp.protectRtp(copy)) {
                return;
            }
            viewer.send(copy);
            handedOff = true;
        } finally {
            if (!handedOff) {
                copy.release();
            }
        }
        if (keyframe && !firstKeyframeSent) {
            firstKeyframeSent = true;
            viewer.context().metrics().firstKeyframe(java.time.Duration.ofNanos(nowNanos - subscribedNanos));
        }
    }

    /** A PLI or FIR from the viewer for this subscription's SSRC: ask whoever fills the slot. */
    void keyframeRequested() {
        Source source = slot.source();
        if (source != null) {
            source.requestKeyframe();
        }
    }

    /** Called when the viewer is connected: a decodable picture is wanted at once. */
    void viewerConnected() {
        keyframeRequested();
    }

    void close() {
        if (!closed) {
            closed = true;
            slot.remove(this);
        }
    }
}
