package org.citizenreception.media.conference;

import java.net.InetSocketAddress;
import org.citizenreception.media.srtp.SrtpTransformer;

/**
 * What the receive stages learn about the packet in hand, passed from stage to stage. One per
 * endpoint, reset for every packet (event loop): a field per fact instead of an object per packet.
 */
final class ReceivedPacket {
    /** The endpoint's SRTP contexts, read once when the packet enters. */
    SrtpTransformer srtp;
    /** The sender when it is not the selected remote address (a bound one: it passed an ICE check), else null. */
    InetSocketAddress elsewhere;
    /** Set by the decrypt stage: SRTCP rather than SRTP. */
    boolean rtcp;
    /** Set by SSRC routing: the stream the packet belongs to (an RTX packet's original one once unwrapped). */
    Source source;
    /** Set by keyframe tracking: the packet starts a keyframe. */
    boolean keyframe;

    ReceivedPacket reset(SrtpTransformer srtp, InetSocketAddress elsewhere) {
        this.srtp = srtp;
        this.elsewhere = elsewhere;
        this.rtcp = false;
        this.source = null;
        this.keyframe = false;
        return this;
    }
}
