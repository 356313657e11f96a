package org.citizenreception.media.ice;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import org.ice4j.StunException;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.message.Message;

/**
 * MESSAGE-INTEGRITY and FINGERPRINT over raw STUN bytes (RFC 8489 14.5, 14.7), with ice4j's
 * HMAC and CRC helpers. Works on the wire form because both attributes cover "everything before
 * me, with the header length counting me".
 */
final class StunMessages {
    static final int HEADER_BYTES = 20;
    static final int TYPE_MESSAGE_INTEGRITY = 0x0008;
    static final int TYPE_FINGERPRINT = 0x8028;
    private static final int MESSAGE_INTEGRITY_BYTES = 4 + 20;
    private static final int FINGERPRINT_BYTES = 4 + 4;

    /** A browser's binding request is ~100 bytes; anything over this is not a message we answer or await. */
    static final int MAX_STUN_BYTES = 1280;

    private StunMessages() {
    }

    /**
     * The datagram's bytes when its size can be a STUN message of ours, else null. Takes the
     * caller's reference: the datagram is released either way.
     */
    static byte[] takeBytes(ByteBuf datagram) {
        try {
            int length = datagram.readableBytes();
            if (length < HEADER_BYTES || length > MAX_STUN_BYTES) {
                return null;
            }
            byte[] bytes = new byte[length];
            datagram.getBytes(datagram.readerIndex(), bytes);
            return bytes;
        } finally {
            datagram.release();
        }
    }

    /** The decoded message, or null when the bytes are not one (ice4j throws on what it cannot parse). */
    static Message decodeOrNull(byte[] bytes) {
        try {
            return Message.decode(bytes, 0, bytes.length);
        } catch (StunException | RuntimeException e) {
            return null;
        }
    }

    /** MESSAGE-INTEGRITY matches {@code key} and FINGERPRINT, when present, is correct. */
    static boolean authentic(byte[] message, byte[] key) {
        return integrityMatches(message, message.length, key) && fingerprintValidOrAbsent(message, message.length);
    }

    /** Offset of the first attribute of {@code type}, or -1; -2 when the attribute walk overruns. */
    static int findAttribute(byte[] message, int length, int type) {
        int offset = HEADER_BYTES;
        while (offset + 4 <= length) {
            int attrType = u16(message, offset);
            int attrLength = u16(message, offset + 2);
            if (attrType == type) {
                return offset + 4 + attrLength <= length ? offset : -2;
            }
            offset += 4 + ((attrLength + 3) & ~3);
        }
        return offset == length ? -1 : -2;
    }

    /** True when MESSAGE-INTEGRITY is present and matches {@code key}. */
    static boolean integrityMatches(byte[] message, int length, byte[] key) {
        int at = findAttribute(message, length, TYPE_MESSAGE_INTEGRITY);
        if (at < 0 || u16(message, at + 2) != 20) {
            return false;
        }
        byte[] covered = new byte[at];
        System.arraycopy(message, 0, covered, 0, at);
        putU16(covered, 2, at - HEADER_BYTES + MESSAGE_INTEGRITY_BYTES);
        byte[] expected = MessageIntegrityAttribute.calculateHmacSha1(covered, 0, at, key);
        byte[] actual = new byte[20];
        System.arraycopy(message, at + 4, actual, 0, 20);
        return MessageDigest.isEqual(expected, actual);
    }

    /** True when FINGERPRINT is absent or correct; it is optional for requests we answer. */
    static boolean fingerprintValidOrAbsent(byte[] message, int length) {
        int at = findAttribute(message, length, TYPE_FINGERPRINT);
        if (at == -1) {
            return true;
        }
        if (at < 0 || u16(message, at + 2) != 4 || at + FINGERPRINT_BYTES != length) {
            return false;
        }
        byte[] expected = FingerprintAttribute.calculateXorCRC32(message, 0, at);
        for (int i = 0; i < 4; i++) {
            if (expected[i] != message[at + 4 + i]) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code encoded} with MESSAGE-INTEGRITY (under {@code key}) and FINGERPRINT appended. */
    static byte[] appendIntegrityAndFingerprint(byte[] encoded, byte[] key) {
        int base = encoded.length;
        byte[] out = new byte[base + MESSAGE_INTEGRITY_BYTES + FINGERPRINT_BYTES];
        System.arraycopy(encoded, 0, out, 0, base);
        putU16(out, 2, base - HEADER_BYTES + MESSAGE_INTEGRITY_BYTES);
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(out, 0, base, key);
        putU16(out, base, TYPE_MESSAGE_INTEGRITY);
        putU16(out, base + 2, 20);
        System.arraycopy(hmac, 0, out, base + 4, 20);
        int fpAt = base + MESSAGE_INTEGRITY_BYTES;
        putU16(out, 2, fpAt - HEADER_BYTES + FINGERPRINT_BYTES);
        byte[] crc = FingerprintAttribute.calculateXorCRC32(out, 0, fpAt);
        putU16(out, fpAt, TYPE_FINGERPRINT);
        putU16(out, fpAt + 2, 4);
        System.arraycopy(crc, 0, out, fpAt + 4, 4);
        return out;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void putU16(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 8);
        b[at + 1] = (byte) value;
    }
}
