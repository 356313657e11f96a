package org.citizenreception.client.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpTest {
    @Test
    void aWrittenHeaderParsesBackWithItsExtensions() {
        byte[] b = new byte[1500];
        int at = new RtpWriter().start(b, 96, true, 65_535, 0xFFFFFFF0L, 0xCAFEBABEL)
                .ext(4, new byte[] {'1'}, 1).ext3(2, 0xABCDEF).ext2(3, 513).endExtensions();
        Vp8.writeDescriptor(b, at, true, 0x1234, 7);
        b[at + Vp8.DESCRIPTOR_BYTES] = 0x10; // P=0: keyframe
        SendStamp.write(b, at + Vp8.DESCRIPTOR_BYTES, 123_456_789L);
        int length = at + Vp8.DESCRIPTOR_BYTES + 40;

        RtpHeader h = new RtpHeader();
        assertThat(h.parse(b, length)).isTrue();
        assertThat(h.payloadType).isEqualTo(96);
        assertThat(h.marker).isTrue();
        assertThat(h.sequence).isEqualTo(65_535);
        assertThat(h.timestamp).isEqualTo(0xFFFFFFF0L);
        assertThat(h.ssrc).isEqualTo(0xCAFEBABEL);
        int[] len = new int[1];
        int abs = h.extension(2, len);
        assertThat(len[0]).isEqualTo(3);
        assertThat(Bytes.u24(b, abs)).isEqualTo(0xABCDEF);
        assertThat(Bytes.u16(b, h.extension(3, len))).isEqualTo(513);
        assertThat(h.payloadOffset).isEqualTo(at);
        assertThat(Vp8.descriptorLength(b, at, h.payloadLength)).isEqualTo(Vp8.DESCRIPTOR_BYTES);
        assertThat(Vp8.pictureId(b, at, h.payloadLength)).isEqualTo(0x1234);
        assertThat(Vp8.isKeyframeStart(b, at, h.payloadLength)).isTrue();
        assertThat(SendStamp.read(b, at + Vp8.DESCRIPTOR_BYTES, h.payloadLength - Vp8.DESCRIPTOR_BYTES))
                .isEqualTo(123_456_789L);

        b[at + Vp8.DESCRIPTOR_BYTES] = 0x11; // P=1: delta frame
        assertThat(Vp8.isKeyframeStart(b, at, h.payloadLength)).isFalse();
    }

    @Test
    void aNackCoversEachRequestedSequenceNumberAcrossTheWrap() {
        int[] seqs = {65_534, 65_535, 0, 5, 40};
        byte[] nack = Rtcp.nack(1, 2, seqs, seqs.length);
        byte[] compound = Rtcp.compound(Rtcp.receiverReport(1, List.of()), nack, Rtcp.pli(1, 2));
        List<Integer> seen = new ArrayList<>();
        int[] plis = new int[1];
        boolean ok = Rtcp.walk(compound, compound.length, new Rtcp.Visitor() {
            @Override
            public void nack(long sender, long media, int sequence) {
                seen.add(sequence);
            }

            @Override
            public void pli(long sender, long media) {
                plis[0]++;
            }
        });
        assertThat(ok).isTrue();
        assertThat(seen).containsExactlyInAnyOrder(65_534, 65_535, 0, 5, 40);
        assertThat(plis[0]).isEqualTo(1);
    }
}
