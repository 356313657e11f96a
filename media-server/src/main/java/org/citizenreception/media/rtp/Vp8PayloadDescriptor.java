package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The VP8 payload descriptor (RFC 7741 section 4.2) and the first byte of the VP8 payload header
 * (section 4.3), read at the absolute index {@code at} of the RTP payload.
 *
 * <pre>
 *  X|R|N|S|R|PID     X: extended control bits follow     S: start of a VP8 partition
 *  I|L|T|K|RSV       I: picture id  L: TL0PICIDX  T: TID  K: KEYIDX
 *  M|PictureID(7)    M: the picture id is 15 bits, the next byte holds its low 8
 *  TL0PICIDX
 *  TID|Y|KEYIDX
 * </pre>
 * The rewriters keep the picture id's width, so rewriting never moves the payload.
 */
public final class Vp8PayloadDescriptor {
    public static final int PICTURE_ID_15_BIT_MODULUS = 1 << 15;
    public static final int PICTURE_ID_7_BIT_MODULUS = 1 << 7;

    private Vp8PayloadDescriptor() {
    }

    /** Descriptor length in bytes, or {@code -1} when {@code length} bytes cannot hold it. */
    public static int descriptorLength(ByteBuf buf, int at, int length) {
        if (length < 1) {
            return -1;
        }
        int descriptor = 1;
        if ((buf.getByte(at) & 0x80) != 0) {
            if (length < 2) {
                return -1;
            }
            int extension = buf.getByte(at + 1);
            descriptor = 2;
            if ((extension & 0x80) != 0) {
                if (length < 3) {
                    return -1;
                }
                descriptor += (buf.getByte(at + 2) & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) {
                descriptor++;
            }
            if ((extension & 0x30) != 0) {
                descriptor++;
            }
        }
        return descriptor <= length ? descriptor : -1;
    }

    public static boolean isStartOfPartition(ByteBuf buf, int at) {
        return (buf.getByte(at) & 0x10) != 0;
    }

    public static int partitionIndex(ByteBuf buf, int at) {
        return buf.getByte(at) & 0x07;
    }

    /**
     * True for the first packet of a keyframe: start of partition 0 whose payload header has the
     * inverse keyframe bit P (RFC 7741 section 4.3) clear.
     */
    public static boolean isKeyframeStart(ByteBuf buf, int at, int length) {
        int descriptor = descriptorLength(buf, at, length);
        if (descriptor < 0 || descriptor >= length) {
            return false;
        }
        return isStartOfPartition(buf, at) && partitionIndex(buf, at) == 0
                && (buf.getByte(at + descriptor) & 0x01) == 0;
    }

    /** The picture id, or {@code -1} when absent. */
    public static int pictureId(ByteBuf buf, int at, int length) {
        int index = pictureIdIndex(buf, at, length);
        if (index < 0) {
            return -1;
        }
        int first = buf.getUnsignedByte(index);
        return (first & 0x80) != 0 ? buf.getUnsignedShort(index) & 0x7FFF : first;
    }

    /** True when the picture id is present and 15 bits wide. */
    public static boolean hasLongPictureId(ByteBuf buf, int at, int length) {
        int index = pictureIdIndex(buf, at, length);
        return index >= 0 && (buf.getByte(index) & 0x80) != 0;
    }

    /** Rewrites the picture id modulo its present width; false when there is none. */
    public static boolean setPictureId(ByteBuf buf, int at, int length, int pictureId) {
        int index = pictureIdIndex(buf, at, length);
        if (index < 0) {
            return false;
        }
        if ((buf.getByte(index) & 0x80) != 0) {
            buf.setShort(index, 0x8000 | (pictureId & 0x7FFF));
        } else {
            buf.setByte(index, pictureId & 0x7F);
        }
        return true;
    }

    /** TL0PICIDX (the temporal-layer-0 picture index), or {@code -1} when absent. */
    public static int tl0PicIdx(ByteBuf buf, int at, int length) {
        int index = tl0PicIdxIndex(buf, at, length);
        return index < 0 ? -1 : buf.getUnsignedByte(index);
    }

    public static boolean setTl0PicIdx(ByteBuf buf, int at, int length, int tl0PicIdx) {
        int index = tl0PicIdxIndex(buf, at, length);
        if (index < 0) {
            return false;
        }
        buf.setByte(index, tl0PicIdx);
        return true;
    }

    /** Temporal layer id (TID) when the T bit is set, else {@code -1}. */
    public static int temporalLayer(ByteBuf buf, int at, int length) {
        if (descriptorLength(buf, at, length) < 0 || (buf.getByte(at) & 0x80) == 0
                || (buf.getByte(at + 1) & 0x20) == 0) {
            return -1;
        }
        return (buf.getUnsignedByte(at + descriptorLength(buf, at, length) - 1) >>> 6) & 0x3;
    }

    private static int pictureIdIndex(ByteBuf buf, int at, int length) {
        if (descriptorLength(buf, at, length) < 0 || (buf.getByte(at) & 0x80) == 0
                || (buf.getByte(at + 1) & 0x80) == 0) {
            return -1;
        }
        return at + 2;
    }

    private static int tl0PicIdxIndex(ByteBuf buf, int at, int length) {
        if (descriptorLength(buf, at, length) < 0 || (buf.getByte(at) & 0x80) == 0
                || (buf.getByte(at + 1) & 0x40) == 0) {
            return -1;
        }
        if ((buf.getByte(at + 1) & 0x80) == 0) {
            return at + 2;
        }
        return at + 2 + ((buf.getByte(at + 2) & 0x80) != 0 ? 2 : 1);
    }
}
