package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * RTP header and RFC 8285 header extensions as a publisher (or anyone who got an SRTP key) can
 * send them. Contract: every view answers a value or its "malformed" value (-1, false, null) and
 * never throws; an element it finds lies inside the extension block; the in-place rewrites of the
 * packet path (id remap, transport-wide sequence number, abs-send-time, MID, slot rewrite, RTX
 * wrap) stay inside the packet; and no buffer is left with a reference count it did not have.
 */
class RtpPacketFuzzTest {
    private static final FakeNanoClock CLOCK = new FakeNanoClock();
    private final SlotRewriter rewriter = SlotRewriter.forVideo(1, 90_000, CLOCK);

    @FuzzTest(maxDuration = "10m")
    void rtpHeaderAndExtensionsNeverThrowNorLeaveThePacket(FuzzedDataProvider data) {
        int headroom = data.consumeInt(0, 3);
        VideoCodec codec = data.pickValue(VideoCodec.values());
        byte[] idMap = data.consumeBytes(16);
        ByteBuf packet = WireBytes.exact(data.consumeRemainingAsBytes(), headroom);
        try {
            int headerLength = RtpHeader.headerLength(packet);
            if (headerLength >= 0) {
                assertThat(RtpHeader.payloadOffset(packet)).isEqualTo(headerLength);
                assertThat(RtpHeader.payloadLength(packet)).isBetween(0, packet.readableBytes() - headerLength);
                readExtensions(packet);
            } else {
                assertThat(RtpHeader.payloadOffset(packet)).isEqualTo(-1);
            }
            rewriteInPlace(packet, codec, idMap);
            RtcpOrRtp.isRtcp(packet);
            ByteBuf rtx = RtxPacketizer.wrap(UnpooledByteBufAllocator.DEFAULT, packet, 2, 97, 5);
            if (rtx != null) {
                assertThat(RtxPacketizer.unwrap(rtx, 3, 96)).as("an RTX packet carries its original sequence number").isTrue();
                assertThat(rtx.release()).isTrue();
            }
            assertThat(packet.refCnt()).as("the views never retain or release the packet").isEqualTo(1);
        } finally {
            packet.release();
        }
    }

    private static void readExtensions(ByteBuf packet) {
        int extensionEnd = RtpHeader.hasExtension(packet)
                ? RtpHeader.extensionDataIndex(packet) + RtpHeader.extensionDataLength(packet) : -1;
        for (int id = 1; id <= 255; id++) {
            int dataIndex = RtpHeaderExtensions.findData(packet, id);
            if (dataIndex >= 0) {
                assertThat(dataIndex + RtpHeaderExtensions.dataLength(packet, dataIndex))
                        .as("element %d ends inside the extension block", id).isLessThanOrEqualTo(extensionEnd);
            }
        }
        for (int id = 1; id <= 14; id++) {
            HeaderExtensionValues.audioLevel(packet, id);
            HeaderExtensionValues.absSendTime(packet, id);
            HeaderExtensionValues.transportSequenceNumber(packet, id);
            HeaderExtensionValues.mid(packet, id);
            HeaderExtensionValues.midEquals(packet, id, new byte[] {'0'});
        }
    }

    private void rewriteInPlace(ByteBuf packet, VideoCodec codec, byte[] idMap) {
        byte[] newIdByOldId = new byte[16];
        for (int i = 0; i < idMap.length; i++) {
            newIdByOldId[i] = (byte) (1 + (idMap[i] & 0xff) % 14); // one-byte ids must map into 1-14
        }
        RtpHeaderExtensions.remapIds(packet, newIdByOldId);
        HeaderExtensionValues.setTransportSequenceNumber(packet, 3, 7);
        HeaderExtensionValues.setAbsSendTime(packet, 2, 0x123456);
        HeaderExtensionValues.setMid(packet, 4, new byte[] {'1'});
        if (RtpHeader.isValid(packet)) {
            rewriter.switchTo(RtpHeader.ssrc(packet), codec);
            Keyframes.isKeyframeStart(codec, packet);
        }
        rewriter.rewrite(packet);
        rewriter.rewriteRetransmission(packet);
    }
}
