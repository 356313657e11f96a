package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Finds RFC 8285 header-extension elements by their negotiated id, in both the one-byte form
 * (profile 0xBEDE, section 4.2) and the two-byte form (profile 0x100X, section 4.3).
 *
 * <p>Lookups walk the few elements a WebRTC packet carries instead of indexing them into a map: a
 * walk of three or four elements is cheaper than building anything, and it allocates nothing.
 * Malformed element lists answer "absent" rather than throwing.
 */
public final class RtpHeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Two-byte profile: 0x100 followed by 4 application bits (RFC 8285 section 4.3). */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    /** One-byte id 15 means "stop parsing" (RFC 8285 section 4.2). */
    private static final int ONE_BYTE_STOP_ID = 15;

    private RtpHeaderExtensions() {
    }

    /**
     * Absolute index of the data of the element with {@code id}, or {@code -1} when the packet is
     * malformed, carries no RFC 8285 extension, or lacks that element.
     */
    public static int findData(ByteBuf buf, int id) {
        if (id <= 0 || id > 255 || RtpHeader.headerLength(buf) < 0) {
            return -1;
        }
        int profile = RtpHeader.extensionProfile(buf);
        int at = RtpHeader.extensionDataIndex(buf);
        int end = at + RtpHeader.extensionDataLength(buf);
        if (profile == ONE_BYTE_PROFILE) {
            return findOneByte(buf, id, at, end);
        }
        if (profile >= 0 && (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE) {
            return findTwoByte(buf, id, at, end);
        }
        return -1;
    }

    /**
     * Length of the element data found by {@link #findData}; reads the element's own header just
     * before {@code dataIndex}, so it must only be given an index {@code findData} returned.
     */
    public static int dataLength(ByteBuf buf, int dataIndex) {
        if (RtpHeader.extensionProfile(buf) == ONE_BYTE_PROFILE) {
            return (buf.getByte(dataIndex - 1) & 0x0f) + 1;
        }
        return buf.getUnsignedByte(dataIndex - 1);
    }

    /**
     * Renumbers every element in place from the publisher's negotiated ids to the viewer's:
     * element {@code id} becomes {@code newIdByOldId[id]} (ids beyond the table are left alone).
     * Each endpoint picks its own {@code a=extmap} ids, so a forwarded packet must speak the
     * viewer's. Map ids the viewer did not negotiate to an id it does not use: RFC 8285 section 5
     * has receivers ignore unknown elements. One-byte ids must map into 1-14. Answers false, with
     * the packet possibly half renumbered, only for malformed extension bytes.
     */
    public static boolean remapIds(ByteBuf buf, byte[] newIdByOldId) {
        if (RtpHeader.headerLength(buf) < 0) {
            return false;
        }
        int profile = RtpHeader.extensionProfile(buf);
        if (profile < 0) {
            return true;
        }
        boolean oneByte = profile == ONE_BYTE_PROFILE;
        if (!oneByte && (profile & TWO_BYTE_PROFILE_MASK) != TWO_BYTE_PROFILE) {
            return true; // not RFC 8285: nothing we know how to renumber
        }
        int at = RtpHeader.extensionDataIndex(buf);
        int end = at + RtpHeader.extensionDataLength(buf);
        while (at < end) {
            int header = buf.getUnsignedByte(at);
            if (header == 0) {
                at++;
                continue;
            }
            int id = oneByte ? header >>> 4 : header;
            if (oneByte && id == ONE_BYTE_STOP_ID) {
                return true;
            }
            int elementLength = oneByte ? 1 + (header & 0x0f) + 1 : at + 1 < end ? 2 + buf.getUnsignedByte(at + 1) : -1;
            if (elementLength < 0 || at + elementLength > end) {
                return false;
            }
            if (id < newIdByOldId.length) {
                int newId = newIdByOldId[id] & 0xff;
                buf.setByte(at, oneByte ? newId << 4 | (header & 0x0f) : newId);
            }
            at += elementLength;
        }
        return true;
    }

    private static int findOneByte(ByteBuf buf, int id, int at, int end) {
        while (at < end) {
            int header = buf.getUnsignedByte(at);
            if (header == 0) {
                at++;
                continue;
            }
            int elementId = header >>> 4;
            if (elementId == ONE_BYTE_STOP_ID) {
                return -1;
            }
            int length = (header & 0x0f) + 1;
            if (at + 1 + length > end) {
                return -1;
            }
            if (elementId == id) {
                return at + 1;
            }
            at += 1 + length;
        }
        return -1;
    }

    private static int findTwoByte(ByteBuf buf, int id, int at, int end) {
        while (at < end) {
            int elementId = buf.getUnsignedByte(at);
            if (elementId == 0) {
                at++;
                continue;
            }
            if (at + 2 > end) {
                return -1;
            }
            int length = buf.getUnsignedByte(at + 1);
            if (at + 2 + length > end) {
                return -1;
            }
            if (elementId == id) {
                return at + 2;
            }
            at += 2 + length;
        }
        return -1;
    }
}
