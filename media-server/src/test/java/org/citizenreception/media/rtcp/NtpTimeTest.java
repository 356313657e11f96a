package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NtpTimeTest {
    @Test
    void unixEpochIsNtpSecond2208988800() {
        assertThat(NtpTime.ofUnixMillis(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(NtpTime.ofUnixMillis(1500)).isEqualTo((2_208_988_801L << 32) | 0x80000000L);
    }

    @Test
    void compactFormIsTheMiddleThirtyTwoBits() {
        assertThat(NtpTime.compact(0xe54f0e1a80000000L)).isEqualTo(0x0e1a8000);
        assertThat(NtpTime.compactDurationOfNanos(1_000_000_000L)).isEqualTo(65536);
        assertThat(NtpTime.compactDurationOfNanos(-5)).isZero();
    }

    @Test
    void roundTripIsArrivalMinusLsrMinusDlsr() {
        int lsr = 0x10000000;
        int dlsr = 5 * 65536;               // the peer held it 5 s
        int now = lsr + dlsr + 6554;        // plus 0.1 s on the wire
        assertThat(NtpTime.roundTripMillis(now, lsr, dlsr)).isEqualTo(100);
        assertThat(NtpTime.roundTripMillis(now, 0, dlsr)).as("no SR received yet").isEqualTo(-1);
        assertThat(NtpTime.roundTripMillis(lsr, lsr, dlsr)).as("negative: clock skew").isEqualTo(-1);
    }
}
