package org.citizenreception.media.rtcp;

/**
 * NTP timestamps as RTCP carries them (RFC 3550 section 4): 64 bits, seconds since 1900 in the
 * high word and a binary fraction in the low word; report blocks echo the middle 32 bits (LSR) and
 * answer with a delay in 1/65536 seconds (DLSR), from which the sender computes the round trip
 * (RFC 3550 section 6.4.1, "DLSR").
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
    public static final long UNIX_EPOCH_NTP_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    /** The NTP timestamp of a wall-clock instant in Unix milliseconds. */
    public static long ofUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000) + UNIX_EPOCH_NTP_SECONDS;
        long fraction = ((long) Math.floorMod(unixMillis, 1000) << 32) / 1000;
        return seconds << 32 | fraction;
    }

    /** Middle 32 bits: the "compact" form used for LSR. */
    public static int compact(long ntpTimestamp) {
        return (int) (ntpTimestamp >>> 16);
    }

    /** A duration in nanoseconds as 1/65536-second units, saturating at 32 bits (DLSR). */
    public static int compactDurationOfNanos(long nanos) {
        long units = Math.max(0, nanos) / 1000 * 65536 / 1_000_000;
        return (int) Math.min(units, 0xFFFFFFFFL);
    }

    /**
     * Round trip in milliseconds from a report block received at {@code nowCompact} echoing our SR
     * as {@code lastSenderReport} after {@code delaySinceLastSenderReport}; {@code -1} when the
     * peer has not yet received an SR (LSR 0) or clocks give a negative result.
     */
    public static long roundTripMillis(int nowCompact, int lastSenderReport, int delaySinceLastSenderReport) {
        if (lastSenderReport == 0) {
            return -1;
        }
        long units = Integer.toUnsignedLong(nowCompact - lastSenderReport - delaySinceLastSenderReport);
        if (units > 0x7FFFFFFFL) {
            return -1;
        }
        return units * 1000 / 65536;
    }
}
