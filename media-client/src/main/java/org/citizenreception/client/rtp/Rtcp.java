package org.citizenreception.client.rtp;

import java.util.List;

/**
 * The RTCP packets the client sends (RFC 3550 6.4, RFC 4585 6.2/6.3, RFC 5104 4.3.1) and a walker
 * over received compound packets. Builders return plain arrays with room for the SRTCP trailer.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    /** Seconds from 1900 (NTP era) to 1970 (Unix epoch). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    /** A report block's content, one per received SSRC. */
    public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq,
            long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** Callbacks of {@link #walk}; each default ignores. */
    public interface Visitor {
        default void senderReport(long senderSsrc, long ntpMiddle32) {
        }

        default void receiverReport(long senderSsrc) {
        }

        default void pli(long senderSsrc, long mediaSsrc) {
        }

        default void fir(long senderSsrc, long mediaSsrc) {
        }

        default void nack(long senderSsrc, long mediaSsrc, int sequence) {
        }

        default void other(int packetType, int fmt) {
        }
    }

    private Rtcp() {
    }

    public static byte[] senderReport(long ssrc, long wallClockMillis, long rtpTimestamp, long packets, long octets) {
        byte[] b = new byte[28];
        header(b, 0, 0, SR, 6);
        Bytes.put32(b, 4, ssrc);
        long seconds = wallClockMillis / 1000 + NTP_UNIX_OFFSET;
        long fraction = ((wallClockMillis % 1000) << 32) / 1000;
        Bytes.put32(b, 8, seconds);
        Bytes.put32(b, 12, fraction);
        Bytes.put32(b, 16, rtpTimestamp);
        Bytes.put32(b, 20, packets);
        Bytes.put32(b, 24, octets);
        return b;
    }

    public static byte[] receiverReport(long senderSsrc, List<ReportBlock> blocks) {
        int n = Math.min(31, blocks.size());
        byte[] b = new byte[8 + 24 * n];
        header(b, 0, n, RR, 1 + 6 * n);
        Bytes.put32(b, 4, senderSsrc);
        for (int i = 0; i < n; i++) {
            ReportBlock r = blocks.get(i);
            int at = 8 + 24 * i;
            Bytes.put32(b, at, r.ssrc());
            b[at + 4] = (byte) r.fractionLost();
            Bytes.put24(b, at + 5, Math.max(-0x800000, Math.min(0x7FFFFF, r.cumulativeLost())));
            Bytes.put32(b, at + 8, r.extendedHighestSeq());
            Bytes.put32(b, at + 12, r.jitter());
            Bytes.put32(b, at + 16, r.lastSr());
            Bytes.put32(b, at + 20, r.delaySinceLastSr());
        }
        return b;
    }

    public static byte[] pli(long senderSsrc, long mediaSsrc) {
        byte[] b = new byte[12];
        header(b, 0, 1, PSFB, 2);
        Bytes.put32(b, 4, senderSsrc);
        Bytes.put32(b, 8, mediaSsrc);
        return b;
    }

    /** Generic NACK with as many FCI entries as the sequence numbers need (each covers 17). */
    public static byte[] nack(long senderSsrc, long mediaSsrc, int[] sequences, int count) {
        int[] pids = new int[count];
        int[] blps = new int[count];
        int entries = 0;
        for (int i = 0; i < count; i++) {
            int seq = sequences[i] & 0xFFFF;
            boolean covered = false;
            for (int e = 0; e < entries; e++) {
                int diff = (seq - pids[e]) & 0xFFFF;
                if (diff >= 1 && diff <= 16) {
                    blps[e] |= 1 << (diff - 1);
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                pids[entries++] = seq;
            }
        }
        byte[] b = new byte[12 + 4 * entries];
        header(b, 0, 1, RTPFB, 2 + entries);
        Bytes.put32(b, 4, senderSsrc);
        Bytes.put32(b, 8, mediaSsrc);
        for (int e = 0; e < entries; e++) {
            Bytes.put16(b, 12 + 4 * e, pids[e]);
            Bytes.put16(b, 14 + 4 * e, blps[e]);
        }
        return b;
    }

    /**
     * REMB (draft-alvestrand-rmcat-remb-03): PSFB FMT 15 with the "REMB" identifier, the bitrate as
     * 6-bit exponent and 18-bit mantissa, and the SSRCs it applies to.
     */
    public static byte[] remb(long senderSsrc, long bitrateBps, long... ssrcs) {
        byte[] b = new byte[20 + 4 * ssrcs.length];
        header(b, 0, 15, PSFB, 4 + ssrcs.length);
        Bytes.put32(b, 4, senderSsrc);
        Bytes.put32(b, 8, 0);
        b[12] = 'R';
        b[13] = 'E';
        b[14] = 'M';
        b[15] = 'B';
        int exponent = 0;
        long mantissa = Math.max(0, bitrateBps);
        while (mantissa > 0x3FFFF) {
            mantissa >>= 1;
            exponent++;
        }
        b[16] = (byte) ssrcs.length;
        Bytes.put24(b, 17, (int) ((exponent << 18) | mantissa));
        for (int i = 0; i < ssrcs.length; i++) {
            Bytes.put32(b, 20 + 4 * i, ssrcs[i]);
        }
        return b;
    }

    /** SDES with one CNAME chunk (RFC 3550 6.5), which libwebrtc puts in every compound report. */
    public static byte[] sdesCname(long ssrc, String cname) {
        byte[] name = cname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int chunk = 4 + 2 + name.length + 1; // SSRC, type+length, text, END
        int padded = (chunk + 3) & ~3;
        byte[] b = new byte[4 + padded];
        header(b, 0, 1, 202, padded / 4);
        Bytes.put32(b, 4, ssrc);
        b[8] = 1;
        b[9] = (byte) name.length;
        System.arraycopy(name, 0, b, 10, name.length);
        return b;
    }

    /** Concatenates RTCP packets into one compound packet. */
    public static byte[] compound(byte[]... packets) {
        int n = 0;
        for (byte[] p : packets) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : packets) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Walks a decrypted compound packet; returns false when it is malformed (what came before was visited). */
    public static boolean walk(byte[] b, int length, Visitor v) {
        int at = 0;
        while (at + 4 <= length) {
            if ((b[at] & 0xC0) != 0x80) {
                return false;
            }
            int fmt = b[at] & 0x1F;
            int pt = b[at + 1] & 0xFF;
            int bytes = (Bytes.u16(b, at + 2) + 1) * 4;
            if (at + bytes > length || bytes < 8) {
                return false;
            }
            long sender = Bytes.u32(b, at + 4);
            switch (pt) {
                case SR -> v.senderReport(sender, bytes >= 16 ? (Bytes.u32(b, at + 8) << 16 | Bytes.u32(b, at + 12) >>> 16)
                        & 0xFFFFFFFFL : 0);
                case RR -> v.receiverReport(sender);
                case PSFB -> {
                    if (fmt == 1 && bytes >= 12) {
                        v.pli(sender, Bytes.u32(b, at + 8));
                    } else if (fmt == 4) {
                        for (int f = at + 12; f + 8 <= at + bytes; f += 8) {
                            v.fir(sender, Bytes.u32(b, f));
                        }
                    } else {
                        v.other(pt, fmt);
                    }
                }
                case RTPFB -> {
                    if (fmt == 1 && bytes >= 12) {
                        long media = Bytes.u32(b, at + 8);
                        for (int f = at + 12; f + 4 <= at + bytes; f += 4) {
                            int pid = Bytes.u16(b, f);
                            int blp = Bytes.u16(b, f + 2);
                            v.nack(sender, media, pid);
                            for (int i = 0; i < 16; i++) {
                                if ((blp & (1 << i)) != 0) {
                                    v.nack(sender, media, (pid + i + 1) & 0xFFFF);
                                }
                            }
                        }
                    } else {
                        v.other(pt, fmt);
                    }
                }
                default -> v.other(pt, fmt);
            }
            at += bytes;
        }
        return at == length;
    }

    private static void header(byte[] b, int at, int countOrFmt, int pt, int lengthWords) {
        b[at] = (byte) (0x80 | countOrFmt);
        b[at + 1] = (byte) pt;
        Bytes.put16(b, at + 2, lengthWords);
    }
}
