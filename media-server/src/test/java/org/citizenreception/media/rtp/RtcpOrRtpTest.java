package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RtcpOrRtpTest {
    @Test
    void classifiesBySecondByteIgnoringMarker() {
        check("80c8", true);   // SR (200)
        check("81cd", true);   // RTPFB (205)
        check("80df", true);   // 223, last RTCP type
        check("80e0", false);  // PT 96 with marker
        check("8060", false);  // PT 96
        check("8040", true);   // PT 64 without marker collides with RTCP
        check("806f", false);  // PT 111 (Opus)
    }

    @Test
    void tooShortIsNeither() {
        ByteBuf buf = hex("80");
        assertThat(RtcpOrRtp.isRtcp(buf)).isFalse();
        assertThat(RtcpOrRtp.isRtp(buf)).isFalse();
        buf.release();
    }

    private static void check(String hex, boolean rtcp) {
        ByteBuf buf = hex(hex);
        assertThat(RtcpOrRtp.isRtcp(buf)).as(hex).isEqualTo(rtcp);
        assertThat(RtcpOrRtp.isRtp(buf)).as(hex).isEqualTo(!rtcp);
        buf.release();
    }
}
