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

    /**
     * Headers of packets captured from Chrome, as decoded by Wireshark (published as test data in
     * olivermichel/webrtc-analysis): abs-send-time is id 2, transport-wide seq id 4.
     */
    @Test
    void readsCapturedChromePacketsInBothForms() {
        ByteBuf oneByte = hex("902d1a5f d4090549 f7b16e83 bede0003 22f34350 41009bd2 81004500");
        assertThat(RtpHeader.sequenceNumber(oneByte)).isEqualTo(6751);
        assertThat(Integer.toUnsignedLong(RtpHeader.timestamp(oneByte))).isEqualTo(3557360969L);
        assertThat(RtpHeader.payloadLength(oneByte)).isZero();
        assertThat(HeaderExtensionValues.absSendTime(oneByte, 2)).isEqualTo(0xf34350);
        assertThat(HeaderExtensionValues.transportSequenceNumber(oneByte, 4)).isEqualTo(155);
        assertThat(RtpHeaderExtensions.dataLength(oneByte, RtpHeaderExtensions.findData(oneByte, 13))).isEqualTo(3);
        oneByte.release();

        ByteBuf withVideoExtensions = hex("90ad19d4 d405e797 f7b16e83 bede0008 22ea432b 41000490 30300060 027c0100"
                + "03000900 0a002300 000000d2 40000100");
        assertThat(RtpHeader.marker(withVideoExtensions)).isTrue();
        assertThat(HeaderExtensionValues.transportSequenceNumber(withVideoExtensions, 4)).isEqualTo(4);
        int id7 = RtpHeaderExtensions.findData(withVideoExtensions, 7);
        assertThat(RtpHeaderExtensions.dataLength(withVideoExtensions, id7)).isEqualTo(13);
        assertThat(HeaderExtensionValues.audioLevel(withVideoExtensions, 9)).isEqualTo(0x30);
        withVideoExtensions.release();

        ByteBuf twoByte = hex("902d61c5 950a0fee 8d3814e5 10000011 020303f7 ae040200 02090130 03010006"
                + "0102070d 01000100 07000700 0a000000 000d21c0 00018003 187aaaf1 30a0a014"
                + "d1413823 04600864 22222650 09f00770 13f00ef0");
        assertThat(RtpHeader.payloadLength(twoByte)).isZero();
        assertThat(HeaderExtensionValues.absSendTime(twoByte, 2)).isEqualTo(0x03f7ae);
        assertThat(HeaderExtensionValues.transportSequenceNumber(twoByte, 4)).isEqualTo(2);
        assertThat(RtpHeaderExtensions.dataLength(twoByte, RtpHeaderExtensions.findData(twoByte, 13))).isEqualTo(33);
        twoByte.release();
    }

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
    void renumbersElementsFromThePublishersIdsToTheViewers() {
        byte[] publisherToViewer = new byte[16];
        for (int id = 0; id < 16; id++) {
            publisherToViewer[id] = (byte) id;
        }
        publisherToViewer[2] = 3;  // abs-send-time
        publisherToViewer[3] = 5;  // transport-wide seq
        publisherToViewer[1] = 14; // audio level: not negotiated by the viewer, parked on an unused id
        ByteBuf oneByte = hex(ONE_BYTE);
        assertThat(RtpHeaderExtensions.remapIds(oneByte, publisherToViewer)).isTrue();
        assertThat(HeaderExtensionValues.absSendTime(oneByte, 3)).isEqualTo(0xaabbcc);
        assertThat(HeaderExtensionValues.transportSequenceNumber(oneByte, 5)).isEqualTo(0x0102);
        assertThat(HeaderExtensionValues.audioLevel(oneByte, 1)).isEqualTo(-1);
        assertThat(HeaderExtensionValues.mid(oneByte, 4)).isEqualTo("a1");
        assertThat(RtpHeader.payloadLength(oneByte)).isEqualTo(3);
        oneByte.release();

        ByteBuf twoByte = hex(TWO_BYTE);
        byte[] twoByteMap = new byte[10];
        twoByteMap[5] = 40;
        twoByteMap[7] = 7;
        twoByteMap[9] = 9;
        assertThat(RtpHeaderExtensions.remapIds(twoByte, twoByteMap)).isTrue();
        assertThat(HeaderExtensionValues.transportSequenceNumber(twoByte, 40)).isEqualTo(0xabcd);
        assertThat(HeaderExtensionValues.transportSequenceNumber(twoByte, 5)).isEqualTo(-1);
        twoByte.release();

        ByteBuf overrun = hex("90e00001 0000000a 11223344 bede0001 00003fff");
        assertThat(RtpHeaderExtensions.remapIds(overrun, publisherToViewer)).isFalse();
        overrun.release();
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
        long daysOfUptime = 30L * 24 * 3600 * 1_000_000_000L; // nanoTime values this large overflow a naive shift
        assertThat(HeaderExtensionValues.absSendTimeOfNanos(daysOfUptime + 500_000_000L)).isEqualTo(1 << 17);
        assertThat(HeaderExtensionValues.absSendTimeOfNanos(-1_000_000_000L)).isEqualTo(63 << 18);
    }
}
