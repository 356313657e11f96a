package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Walks the packets of a compound RTCP datagram (RFC 3550 section 6.1) between
 * {@code readerIndex()} and {@code writerIndex()} without allocating.
 *
 * <p>A cursor is a reusable mutable object, one per event loop: {@link #reset(ByteBuf)} it for each
 * datagram, then call {@link #next()} until it answers false. The walk stops at the first packet
 * whose version is not 2 or whose length runs past the datagram; {@link #isMalformed()} then tells
 * the caller to count the datagram as bad. Packets before the bad one were already seen, which is
 * what a receiver wants: RFC 5506 reduced-size RTCP is accepted, so no "must start with SR/RR"
 * check is made.
 */
public final class RtcpCompoundCursor {
    private ByteBuf buf;
    private int nextOffset;
    private int end;
    private int offset;
    private int length;
    private int packetType;
    private int countOrFormat;
    private boolean malformed;

    /** Points the cursor at a new datagram; it keeps no reference once the walk is over. */
    public RtcpCompoundCursor reset(ByteBuf datagram) {
        buf = datagram;
        nextOffset = datagram.readerIndex();
        end = datagram.writerIndex();
        offset = -1;
        length = 0;
        malformed = nextOffset >= end;
        return this;
    }

    /** Advances to the next packet; false at the end of the datagram or on malformed bytes. */
    public boolean next() {
        if (buf == null || malformed || nextOffset >= end) {
            buf = null;
            return false;
        }
        if (end - nextOffset < RtcpHeader.LENGTH
                || RtcpHeader.version(buf, nextOffset) != 2
                || RtcpHeader.packetLength(buf, nextOffset) > end - nextOffset) {
            malformed = true;
            buf = null;
            return false;
        }
        offset = nextOffset;
        length = RtcpHeader.packetLength(buf, offset);
        packetType = RtcpHeader.packetType(buf, offset);
        countOrFormat = RtcpHeader.countOrFormat(buf, offset);
        nextOffset += length;
        return true;
    }

    /** True when the walk stopped on bad bytes (or the datagram was empty). */
    public boolean isMalformed() {
        return malformed;
    }

    /** Absolute index of the current packet's first byte, to hand to a view. */
    public int offset() {
        return offset;
    }

    /** Length in bytes of the current packet, header included. */
    public int length() {
        return length;
    }

    /** The current packet's type ({@link RtcpHeader#SR} ...). */
    public int packetType() {
        return packetType;
    }

    /** The current packet's report count, source count or feedback FMT. */
    public int countOrFormat() {
        return countOrFormat;
    }

    /**
     * Validates a whole datagram: every packet well-formed and lengths adding up exactly. Allocates
     * a cursor; the packet path keeps its own and checks {@link #isMalformed()} after the walk.
     */
    public static boolean isValidCompound(ByteBuf datagram) {
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(datagram);
        while (cursor.next()) {
            // walk to the end
        }
        return !cursor.isMalformed();
    }
}
