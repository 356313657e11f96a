package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class HeaderExtensionValuesTest {
    /** One-byte form: id 2 abs-send-time 0xaabbcc, id 3 transport seq 0x0102, id 1 audio level 0xff, id 4 mid "a1". */
    private static final String ONE_BYTE = "90e00001 0000000a 11223344 bede0004 22aabbcc 31010210 ff41 6131 0000 0000 c0ffee";
    /** Two-byte form: id 5 length 2 0xabcd, id 7 length 1 0xe5 (voice, level 101), id 9 length 0. */
    private static final String TWO_BYTE = "90e00001 0000000a 11223344 10000003 0502abcd 0701e509 00000000 c0ffee";

    @Test
    void readsWebrtcExtensionsFromTheOneByteForm() {
        ByteBuf buf = hex(ONE_BYTE);
        assertThat(RtpHeader.payloadLength(buf)).isEqualTo(3);
        assertThat(HeaderExtensionValues.absSendTime(buf, 2)).isEqualTo(0xaabbcc);
        assertThat(HeaderExtensionValues.transportSequenceNumber(buf, 3)).isEqualTo(0x0102);
        int level = HeaderExtensionValues.audioLevel(buf, 1);
        assertThat(HeaderExtensionValues.voiceActivity(level)).isTrue();
        assertThat(HeaderExtensionValues.audioLevelDbov(level)).isEqualTo(127);
        assertThat(HeaderExtensionValues.mid(buf, 4)).isEqualTo("a1");
        assertThat(HeaderExtensionValues.midEquals(buf, 4, "a1".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(HeaderExtensionValues.midEquals(buf, 4, "a2".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(HeaderExtensionValues.absSendTime(buf, 9)).isEqualTo(-1);
        buf.release();
    }

    @Test
    void readsTheTwoByteFormIncludingZeroLengthElements() {
        ByteBuf buf = hex(TWO_BYTE);
        assertThat(HeaderExtensionValues.transportSequenceNumber(buf, 5)).isEqualTo(0xabcd);
        int level = HeaderExtensionValues.audioLevel(buf, 7);
        assertThat(HeaderExtensionValues.voiceActivity(level)).isTrue();
        assertThat(HeaderExtensionValues.audioLevelDbov(level)).isEqualTo(101);
        int data = RtpHeaderExtensions.findData(buf, 9);
        assertThat(data).isPositive();
        assertThat(RtpHeaderExtensions.dataLength(buf, data)).isZero();
        buf.release();
    }

    @Test
    void rewritesInPlaceWithoutMovingAnything() {
        ByteBuf buf = hex(ONE_BYTE);
        assertThat(HeaderExtensionValues.setAbsSendTime(buf, 2, 0x123456)).isTrue();
        assertThat(HeaderExtensionValues.setTransportSequenceNumber(buf, 3, 0xFFFF)).isTrue();
        assertThat(HeaderExtensionValues.setMid(buf, 4, "b7".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(HeaderExtensionValues.setMid(buf, 4, "long".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Bytes.hexOf(buf)).isEqualTo(
                "90e00001" + "0000000a" + "11223344" + "bede0004" + "22123456" + "31ffff10" + "ff41" + "6237" + "00000000" + "c0ffee");
        buf.release();
    }

    @Test
    void wrongLengthOrStopIdOrTruncatedElementReadsAsAbsent() {
        ByteBuf wrongLength = hex(ONE_BYTE);
        assertThat(HeaderExtensionValues.transportSequenceNumber(wrongLength, 2)).isEqualTo(-1);
        assertThat(HeaderExtensionValues.setTransportSequenceNumber(wrongLength, 2, 1)).isFalse();
        wrongLength.release();

        ByteBuf stop = hex("90e00001 0000000a 11223344 bede0001 f0000000");
        assertThat(RtpHeaderExtensions.findData(stop, 1)).isEqualTo(-1);
        stop.release();

        ByteBuf overrun = hex("90e00001 0000000a 11223344 bede0001 00003fff");
        assertThat(RtpHeaderExtensions.findData(overrun, 3)).isEqualTo(-1);
        overrun.release();

        ByteBuf unknownProfile = hex("90e00001 0000000a 11223344 12340001 10ff0000");
        assertThat(RtpHeaderExtensions.findData(unknownProfile, 1)).isEqualTo(-1);
        unknownProfile.release();
    }

    @Test
    void absSendTimeIsSixPointEighteenSecondsWrappingEvery64Seconds() {
        assertThat(HeaderExtensionValues.absSendTimeOfNanos(1_000_000_000L)).isEqualTo(1 << 18);
        assertThat(HeaderExtensionValues.absSendTimeOfNanos(500_000_000L)).isEqualTo(1 << 17);
        assertThat(HeaderExtensionValues.absSendTimeOfNanos(65_000_000_000L)).isEqualTo(1 << 18);
    }
}
