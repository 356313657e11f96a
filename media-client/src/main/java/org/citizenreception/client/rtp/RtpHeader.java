package org.citizenreception.client.rtp;

/**
 * A parsed view of an RTP header (RFC 3550 5.1) with its RFC 8285 extensions, reused per packet.
 * {@link #parse} returns false for anything that is not a well-formed RTP packet.
 */
public final class RtpHeader {
    public int payloadType;
    public boolean marker;
    public int sequence;
    public long timestamp;
    public long ssrc;
    public int payloadOffset;
    public int payloadLength;
    private byte[] data;
    private int extOffset;
    private int extLength;
    private boolean twoByte;

    public boolean parse(byte[] b, int length) {
        if (length < 12 || (b[0] & 0xC0) != 0x80) {
            return false;
        }
        data = b;
        int cc = b[0] & 0x0F;
        boolean ext = (b[0] & 0x10) != 0;
        marker = (b[1] & 0x80) != 0;
        payloadType = b[1] & 0x7F;
        sequence = Bytes.u16(b, 2);
        timestamp = Bytes.u32(b, 4);
        ssrc = Bytes.u32(b, 8);
        int at = 12 + 4 * cc;
        extOffset = -1;
        extLength = 0;
        if (ext) {
            if (at + 4 > length) {
                return false;
            }
            int profile = Bytes.u16(b, at);
            int words = Bytes.u16(b, at + 2);
            twoByte = (profile & 0xFFF0) == 0x1000;
            extOffset = (profile == 0xBEDE || twoByte) ? at + 4 : -1;
            extLength = words * 4;
            at += 4 + extLength;
        }
        int padding = (b[0] & 0x20) != 0 && length > at ? b[length - 1] & 0xFF : 0;
        if (at + padding > length) {
            return false;
        }
        payloadOffset = at;
        payloadLength = length - at - padding;
        return true;
    }

    /** Offset of extension {@code id}'s data in the packet, or -1; its length goes to {@code lengthOut[0]}. */
    public int extension(int id, int[] lengthOut) {
        if (extOffset < 0 || id <= 0) {
            return -1;
        }
        int at = extOffset;
        int end = extOffset + extLength;
        while (at < end) {
            int eid;
            int len;
            if (twoByte) {
                if (at + 2 > end) {
                    return -1;
                }
                eid = data[at] & 0xFF;
                if (eid == 0) {
                    at++;
                    continue;
                }
                len = data[at + 1] & 0xFF;
                at += 2;
            } else {
                eid = (data[at] & 0xF0) >> 4;
                if (eid == 0) {
                    at++;
                    continue;
                }
                if (eid == 15) {
                    return -1;
                }
                len = (data[at] & 0x0F) + 1;
                at++;
            }
            if (eid == id) {
                if (at + len > end) {
                    return -1;
                }
                if (lengthOut != null) {
                    lengthOut[0] = len;
                }
                return at;
            }
            at += len;
        }
        return -1;
    }
}
