package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The floor as it crosses a cascade link, in one RTCP APP packet (RFC 3550 6.7) named
 * {@value #NAME}, 16 bytes, so it rides the link's own SRTCP and needs no second channel between
 * bridges. Subtype {@link #STATE} goes down a link from the upstream bridge: whether the guest slot
 * up there now carries what this link sent up ({@code yours}). Subtype {@link #REQUEST} goes up: a
 * room on the downstream bridge was given the floor, carry its stream in the guest slot.
 *
 * <p>Both are repeated while they matter (the state each second, a request until answered), so a
 * lost one costs a second, never the floor.
 */
public final class LinkFloorApp {
    public static final String NAME = "CRLF";
    public static final int LENGTH = 16;
    public static final int STATE = 0;
    public static final int REQUEST = 1;
    private static final int NAME_BITS = ('C' << 24) | ('R' << 16) | ('L' << 8) | 'F';

    private LinkFloorApp() {
    }

    public static boolean isLinkFloor(ByteBuf buf, int at, int length) {
        return length == LENGTH && RtcpHeader.packetType(buf, at) == RtcpHeader.APP && buf.getInt(at + 8) == NAME_BITS;
    }

    /** {@link #STATE} or {@link #REQUEST}. */
    public static int subtype(ByteBuf buf, int at) {
        return RtcpHeader.countOrFormat(buf, at);
    }

    /** For {@link #STATE}: whether the upstream guest slot carries the receiving link's stream. */
    public static boolean yours(ByteBuf buf, int at) {
        return buf.getInt(at + 12) != 0;
    }

    public static void write(ByteBuf out, int senderSsrc, int subtype, boolean yours) {
        out.writeByte(0x80 | subtype);
        out.writeByte(RtcpHeader.APP);
        out.writeShort(LENGTH / 4 - 1);
        out.writeInt(senderSsrc);
        out.writeInt(NAME_BITS);
        out.writeInt(yours ? 1 : 0);
    }
}
