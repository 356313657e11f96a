package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads and rewrites, in place, the header extensions the bridge understands. Each takes the id
 * negotiated in SDP ({@code a=extmap}) because ids differ per endpoint.
 *
 * <ul>
 *   <li>abs-send-time: 24-bit 6.18 fixed-point seconds
 *       (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time);</li>
 *   <li>transport-wide sequence number: 16 bits (draft-holmer-rmcat-transport-wide-cc-extensions-01
 *       section 2);</li>
 *   <li>client-to-mixer audio level: V flag and level in -dBov (RFC 6464 section 3);</li>
 *   <li>mid: the media identification tag (RFC 8843 section 15.2).</li>
 * </ul>
 * Readers answer {@code -1} (or {@code null}) when the element is absent or has the wrong length;
 * writers answer {@code false} and leave the packet untouched in that case.
 */
public final class HeaderExtensionValues {
    /** RFC 6464: 0 dBov is loudest, 127 is silence. */
    public static final int AUDIO_LEVEL_SILENT = 127;
    /** abs-send-time has 6 integer bits of seconds, so it wraps every 64 s. */
    private static final long ABS_SEND_TIME_WRAP_NANOS = 64_000_000_000L;

    private HeaderExtensionValues() {
    }

    public static int absSendTime(ByteBuf buf, int id) {
        int at = elementOfLength(buf, id, 3);
        return at < 0 ? -1 : buf.getUnsignedMedium(at);
    }

    public static boolean setAbsSendTime(ByteBuf buf, int id, int absSendTime) {
        int at = elementOfLength(buf, id, 3);
        if (at < 0) {
            return false;
        }
        buf.setMedium(at, absSendTime);
        return true;
    }

    /**
     * abs-send-time for a monotonic nanosecond clock: seconds in 6.18 fixed point, mod 64 s. The
     * modulo comes first because {@code System.nanoTime()} values are large enough to overflow
     * once shifted.
     */
    public static int absSendTimeOfNanos(long nanos) {
        long withinWrap = Math.floorMod(nanos, ABS_SEND_TIME_WRAP_NANOS);
        return (int) ((withinWrap << 18) / 1_000_000_000L);
    }

    public static int transportSequenceNumber(ByteBuf buf, int id) {
        int at = elementOfLength(buf, id, 2);
        return at < 0 ? -1 : buf.getUnsignedShort(at);
    }

    public static boolean setTransportSequenceNumber(ByteBuf buf, int id, int sequenceNumber) {
        int at = elementOfLength(buf, id, 2);
        if (at < 0) {
            return false;
        }
        buf.setShort(at, sequenceNumber);
        return true;
    }

    /**
     * The raw audio-level byte (V flag in bit 7, level in bits 0-6), or {@code -1}. Split it with
     * {@link #audioLevelDbov(int)} and {@link #voiceActivity(int)}; kept as one int so the hot path
     * reads the packet once.
     */
    public static int audioLevel(ByteBuf buf, int id) {
        int at = elementOfLength(buf, id, 1);
        return at < 0 ? -1 : buf.getUnsignedByte(at);
    }

    /** Level in -dBov, 0 (loudest) to 127 (silence). */
    public static int audioLevelDbov(int rawAudioLevel) {
        return rawAudioLevel & 0x7f;
    }

    /** The sender's voice-activity flag (RFC 6464 section 3, "V"). */
    public static boolean voiceActivity(int rawAudioLevel) {
        return (rawAudioLevel & 0x80) != 0;
    }

    /**
     * The mid (or any other RFC 8852 SDES item: a rid, a repaired rid) as a string, or
     * {@code null}. Allocates; meant for the first packet of an unknown SSRC only. The per-packet check is {@link #midEquals}.
     */
    public static String mid(ByteBuf buf, int id) {
        int at = RtpHeaderExtensions.findData(buf, id);
        if (at < 0) {
            return null;
        }
        return buf.toString(at, RtpHeaderExtensions.dataLength(buf, at), StandardCharsets.US_ASCII);
    }

    public static boolean midEquals(ByteBuf buf, int id, byte[] midAscii) {
        int at = elementOfLength(buf, id, midAscii.length);
        if (at < 0) {
            return false;
        }
        for (int i = 0; i < midAscii.length; i++) {
            if (buf.getByte(at + i) != midAscii[i]) {
                return false;
            }
        }
        return true;
    }

    /** Overwrites the mid when the new one has the same length; resizing a packet is not done here. */
    public static boolean setMid(ByteBuf buf, int id, byte[] midAscii) {
        int at = elementOfLength(buf, id, midAscii.length);
        if (at < 0) {
            return false;
        }
        buf.setBytes(at, midAscii);
        return true;
    }

    private static int elementOfLength(ByteBuf buf, int id, int length) {
        int at = RtpHeaderExtensions.findData(buf, id);
        return at >= 0 && RtpHeaderExtensions.dataLength(buf, at) == length ? at : -1;
    }
}
