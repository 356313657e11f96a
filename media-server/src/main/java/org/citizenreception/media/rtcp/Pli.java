package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/** Picture loss indication (RFC 4585 section 6.3.1): PSFB FMT 1 with no FCI, 12 bytes. */
public final class Pli {
    public static final int LENGTH = FeedbackHeader.LENGTH;

    private Pli() {
    }

    public static boolean isPli(ByteBuf buf, int at, int length) {
        return FeedbackHeader.is(buf, at, length, RtcpHeader.PSFB, RtcpHeader.FMT_PLI);
    }

    /** The SSRC whose picture was lost: the source a keyframe is wanted from. */
    public static int mediaSsrc(ByteBuf buf, int at) {
        return FeedbackHeader.mediaSsrc(buf, at);
    }

    public static void write(ByteBuf out, int senderSsrc, int mediaSsrc) {
        FeedbackHeader.write(out, RtcpHeader.FMT_PLI, RtcpHeader.PSFB, LENGTH, senderSsrc, mediaSsrc);
    }
}
