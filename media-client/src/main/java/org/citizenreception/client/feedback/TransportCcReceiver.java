package org.citizenreception.client.feedback;

import org.citizenreception.client.rtp.Bytes;

/**
 * The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): remembers the arrival time of every packet that carried a transport-wide sequence number and
 * writes RTPFB FMT 15 feedback covering every packet since the previous feedback, as libwebrtc's
 * RemoteEstimatorProxy does in its periodic mode (a feedback every 50-250 ms, 5 % of the received bitrate;
 * at 2.5 Mbit/s that is its 50 ms floor).
 *
 * <p>Arrivals sit in a ring indexed by the extended sequence number, so recording allocates nothing;
 * a packet older than the last feedback (reordered past it) is not reported again, as in libwebrtc.
 * Chunks: a run-length chunk for 14 or more equal statuses, else a one-bit vector of 14 when no
 * delta is large, else a two-bit vector of 7 (sections 3.1.3, 3.1.4).
 */
public final class TransportCcReceiver {
    /** libwebrtc's bounds for the feedback interval (RemoteEstimatorProxy). */
    public static final long MIN_INTERVAL_NANOS = 50_000_000L;
    public static final long MAX_INTERVAL_NANOS = 250_000_000L;
    private static final int RING = 4096;
    private static final int MAX_STATUSES = 1024;
    private static final long TICK_NANOS = 250_000L;
    private static final long REFERENCE_NANOS = 64_000_000L;

    private final long[] arrivalNanos = new long[RING];
    /** Extended sequence number + 1 of the packet in each slot (0: none). */
    private final long[] storedSequence = new long[RING];
    private final int[] symbols = new int[MAX_STATUSES];
    private final int[] deltas = new int[MAX_STATUSES];
    private long highest = -1;
    /** The first extended sequence number the next feedback reports. */
    private long windowStart = -1;
    private int feedbackCount;
    private long epochNanos = Long.MIN_VALUE;

    /** Records one packet's transport-wide sequence number (16 bits) and arrival. */
    public void onPacket(int sequence, long arrivalNanos) {
        if (epochNanos == Long.MIN_VALUE) {
            epochNanos = arrivalNanos;
        }
        long ext;
        if (highest < 0) {
            ext = sequence & 0xFFFF;
            windowStart = ext;
        } else {
            ext = highest + (short) ((sequence & 0xFFFF) - (int) (highest & 0xFFFF));
        }
        if (ext < windowStart || highest >= 0 && highest - ext >= RING) {
            return; // already reported, or far too old to report
        }
        if (ext > highest) {
            highest = ext;
        }
        int slot = (int) (ext & (RING - 1));
        storedSequence[slot] = ext + 1; // 0 marks an empty slot
        this.arrivalNanos[slot] = arrivalNanos;
    }

    /** True once any packet carried a transport-wide sequence number (libwebrtc then sends no REMB). */
    public boolean hasRecorded() {
        return highest >= 0;
    }

    /** True when packets arrived since the last feedback. */
    public boolean hasPending() {
        return highest >= 0 && windowStart <= highest;
    }

    /**
     * Writes one feedback packet (no SRTCP trailer) into {@code out} from 0 and returns its length, or 0
     * when nothing is pending. Covers at most {@value #MAX_STATUSES} statuses; the rest waits for the next.
     */
    public int writeFeedback(byte[] out, long senderSsrc, long mediaSsrc) {
        if (!hasPending()) {
            return 0;
        }
        if (highest - windowStart >= RING) {
            windowStart = highest - RING + 1;
        }
        long first = -1;
        for (long e = windowStart; e <= highest; e++) {
            if (received(e)) {
                first = e;
                break;
            }
        }
        if (first < 0) {
            windowStart = highest + 1;
            return 0;
        }
        // The base is the first received packet: libwebrtc starts its feedback there too.
        long base = first;
        int count = (int) Math.min(MAX_STATUSES, highest - base + 1);
        long firstArrival = arrivalNanos[(int) (base & (RING - 1))] - epochNanos;
        long reference = firstArrival / REFERENCE_NANOS;
        long previousTicks = reference * (REFERENCE_NANOS / TICK_NANOS);
        int lastReceived = 0;
        for (int i = 0; i < count; i++) {
            long e = base + i;
            if (received(e)) {
                long ticks = Math.round((double) (arrivalNanos[(int) (e & (RING - 1))] - epochNanos) / TICK_NANOS);
                long delta = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, ticks - previousTicks));
                previousTicks += delta;
                deltas[i] = (int) delta;
                symbols[i] = delta >= 0 && delta <= 255 ? 1 : 2;
                lastReceived = i;
            } else {
                symbols[i] = 0;
            }
        }
        count = lastReceived + 1; // a feedback never ends in "not received"
        int at = 20;
        for (int i = 0; i < count; ) {
            int run = 1;
            while (i + run < count && symbols[i + run] == symbols[i] && run < 0x1FFF) {
                run++;
            }
            if (run >= 14) {
                Bytes.put16(out, at, (symbols[i] << 13) | run);
                i += run;
            } else {
                boolean anyLarge = false;
                for (int k = i; k < Math.min(count, i + 14); k++) {
                    anyLarge |= symbols[k] == 2;
                }
                int chunk;
                int n;
                if (!anyLarge) {
                    n = 14;
                    chunk = 0x8000;
                    for (int k = 0; k < n && i + k < count; k++) {
                        chunk |= symbols[i + k] << (13 - k);
                    }
                } else {
                    n = 7;
                    chunk = 0xC000;
                    for (int k = 0; k < n && i + k < count; k++) {
                        chunk |= symbols[i + k] << (12 - 2 * k);
                    }
                }
                Bytes.put16(out, at, chunk);
                i += n;
            }
            at += 2;
        }
        for (int i = 0; i < count; i++) {
            if (symbols[i] == 1) {
                out[at++] = (byte) deltas[i];
            } else if (symbols[i] == 2) {
                Bytes.put16(out, at, deltas[i] & 0xFFFF);
                at += 2;
            }
        }
        while ((at & 3) != 0) {
            out[at++] = 0;
        }
        out[0] = (byte) (0x80 | 15);
        out[1] = (byte) 205;
        Bytes.put16(out, 2, at / 4 - 1);
        Bytes.put32(out, 4, senderSsrc);
        Bytes.put32(out, 8, mediaSsrc);
        Bytes.put16(out, 12, (int) (base & 0xFFFF));
        Bytes.put16(out, 14, count);
        Bytes.put24(out, 16, (int) (reference & 0x7FFFFF));
        out[19] = (byte) feedbackCount++;
        windowStart = base + count;
        return at;
    }

    /** Largest feedback {@link #writeFeedback} can write. */
    public static int maxFeedbackBytes() {
        return 20 + 2 * MAX_STATUSES + 2 * MAX_STATUSES + 4;
    }

    /**
     * libwebrtc's interval: the feedback may take 5 % of the received bitrate, within 50-250 ms
     * (RemoteEstimatorProxy::OnBitrateChanged, with its 1 feedback of ~ 68 bytes assumed).
     */
    public static long intervalNanos(long receivedBitrateBps) {
        if (receivedBitrateBps <= 0) {
            return 100_000_000L;
        }
        double seconds = 68 * 8 / (0.05 * receivedBitrateBps);
        long nanos = (long) (seconds * 1e9);
        return Math.max(MIN_INTERVAL_NANOS, Math.min(MAX_INTERVAL_NANOS, nanos));
    }

    private boolean received(long ext) {
        int slot = (int) (ext & (RING - 1));
        return storedSequence[slot] == ext + 1;
    }
}
