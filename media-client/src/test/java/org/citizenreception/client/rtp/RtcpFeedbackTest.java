package org.citizenreception.client.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtcpFeedbackTest {
    @Test
    void rembCarriesTheBitrateAsExponentAndMantissa() {
        byte[] remb = Rtcp.remb(0x01020304L, 2_500_000, 0x0A0B0C0DL);

        // PSFB/15, 5 words; sender; media 0; "REMB"; 1 SSRC; exponent 4, mantissa 156250; the SSRC.
        assertThat(HexFormat.of().formatHex(remb))
                .isEqualTo("8fce0005" + "01020304" + "00000000" + "52454d42" + "01" + "12625a" + "0a0b0c0d");
    }

    @Test
    void sdesHoldsOneCnameChunkPaddedToAWord() {
        byte[] sdes = Rtcp.sdesCname(0x01020304L, "abc");

        assertThat(HexFormat.of().formatHex(sdes)).isEqualTo("81ca0003" + "01020304" + "0103616263" + "000000");
        assertThat(Rtcp.walk(sdes, sdes.length, new Rtcp.Visitor() { })).isTrue();
    }
}
