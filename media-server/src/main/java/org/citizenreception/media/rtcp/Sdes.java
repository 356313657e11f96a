package org.citizenreception.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Source description, packet type 202 (RFC 3550 section 6.5): {@code count} chunks, each an SSRC
 * and a list of (type, length, text) items ended by a zero byte and padded to 32 bits. The bridge
 * only needs CNAME (item type 1) to tie a publisher's audio and video together.
 */
public final class Sdes {
    public static final int CNAME = 1;
    private static final int END = 0;

    /** Receives each item in place; the value is {@code valueLength} bytes at {@code valueIndex}. */
    @FunctionalInterface
    public interface ItemVisitor {
        void item(int ssrc, int itemType, ByteBuf buf, int valueIndex, int valueLength);
    }

    private Sdes() {
    }

    /** Visits every item; answers false (after visiting the well-formed prefix) on malformed bytes. */
    public static boolean visitItems(ByteBuf buf, int at, int length, ItemVisitor visitor) {
        int end = at + length;
        int chunk = at + RtcpHeader.LENGTH;
        int chunks = RtcpHeader.countOrFormat(buf, at);
        for (int i = 0; i < chunks; i++) {
            if (chunk + 4 > end) {
                return false;
            }
            int ssrc = buf.getInt(chunk);
            int item = chunk + 4;
            while (true) {
                if (item >= end) {
                    return false;
                }
                int type = buf.getUnsignedByte(item);
                if (type == END) {
                    break;
                }
                if (item + 2 > end || item + 2 + buf.getUnsignedByte(item + 1) > end) {
                    return false;
                }
                int valueLength = buf.getUnsignedByte(item + 1);
                visitor.item(ssrc, type, buf, item + 2, valueLength);
                item += 2 + valueLength;
            }
            // Skip the END byte, then the padding that aligns the next chunk to 32 bits.
            chunk = at + (((item + 1 - at) + 3) & ~3);
        }
        return true;
    }

    /** The CNAME of {@code ssrc}, or null. Allocates the string; not for the per-packet path. */
    public static String cname(ByteBuf buf, int at, int length, int ssrc) {
        String[] found = new String[1];
        visitItems(buf, at, length, (itemSsrc, type, b, valueIndex, valueLength) -> {
            if (itemSsrc == ssrc && type == CNAME && found[0] == null) {
                found[0] = b.toString(valueIndex, valueLength, StandardCharsets.UTF_8);
            }
        });
        return found[0];
    }

    /** Writes an SDES with one chunk carrying one CNAME item (RFC 3550 section 6.5.1). */
    public static void writeCname(ByteBuf out, int ssrc, byte[] cnameUtf8) {
        if (cnameUtf8.length > 255) {
            throw new IllegalArgumentException("cnameUtf8 longer than 255 bytes: " + cnameUtf8.length);
        }
        int itemsLength = 2 + cnameUtf8.length + 1;
        int chunkLength = 4 + ((itemsLength + 3) & ~3);
        RtcpHeader.write(out, 1, RtcpHeader.SDES, RtcpHeader.LENGTH + chunkLength);
        out.writeInt(ssrc);
        out.writeByte(CNAME);
        out.writeByte(cnameUtf8.length);
        out.writeBytes(cnameUtf8);
        out.writeZero(chunkLength - 4 - 2 - cnameUtf8.length);
    }
}
