package org.citizenreception.media.conference;

import org.citizenreception.media.srtp.SrtpTransformer;

/**
 * What the send stages of one subscription know about the packet in hand. One per subscription,
 * reset for every packet; the subscription is served by one thread at a time (the event loop, or
 * the fan-out helper given it for one packet), which hands it over with the work.
 */
final class OutgoingPacket {
    /** The viewer's SRTP contexts, read once when the packet enters. */
    SrtpTransformer srtp;
    /** A NACKed packet sent again (rewritten in the viewer's numbering of the original, RTX when negotiated). */
    boolean retransmission;
    /** A padding-only RTX packet the bridge made to probe the viewer's line: it gets only an RTX sequence number. */
    boolean padding;
    /** Set by the rewrite stage when the rewriter refused the packet. */
    boolean refusedByRewriter;
    /** Set by the rewrite stage: the packet's RTP timestamp and payload size as the viewer sees them. */
    int rewrittenTimestamp;
    int payloadOctets;
    /** Set by the last stage: the packet went to the transport. */
    boolean sent;

    OutgoingPacket reset(SrtpTransformer srtp, boolean retransmission) {
        this.srtp = srtp;
        this.retransmission = retransmission;
        this.padding = false;
        this.refusedByRewriter = false;
        this.rewrittenTimestamp = 0;
        this.payloadOctets = 0;
        this.sent = false;
        return this;
    }
}
