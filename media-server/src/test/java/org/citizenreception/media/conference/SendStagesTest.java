package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.citizenreception.media.rtp.NoLeaks;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.rtp.SlotRewriter;
import org.citizenreception.media.rtp.VideoCodec;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;
import org.citizenreception.media.stats.StageMeter.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each send stage driven directly with a viewer's copy (tracked pooled buffers). */
@ExtendWith(NoLeaks.class)
class SendStagesTest {
    private static final int VIEWER_SSRC = 0x0A0A0A0A;
    private static final int VIEWER_RTX_SSRC = 0x0B0B0B0B;
    private final OutgoingPacket facts = new OutgoingPacket();

    private static StageMeter meter(String name) {
        return new StageMeter(Direction.SEND, name);
    }

    @Test
    void slotRewriteRefusesVideoUntilTheSourcesKeyframeThenNumbersItInTheViewersStream() {
        SlotRewriter rewriter = SlotRewriter.forVideo(VIEWER_SSRC, 90_000, new FakeNanoClock());
        rewriter.switchTo(StageFixture.VIDEO_SSRC, VideoCodec.VP8);
        StageMeter meter = meter("rewrite");
        SlotRewrite stage = new SlotRewrite(meter, rewriter);

        ByteBuf delta = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 99, 20);
        assertThat(stage.process(delta, facts.reset(null, false))).isFalse();
        assertThat(facts.refusedByRewriter).isTrue();
        assertThat(delta.refCnt()).isZero();
        assertThat(meter.drops(DropReason.REWRITE_REFUSED)).isEqualTo(1);

        ByteBuf keyframe = StageFixture.vp8KeyframeStart(StageFixture.VIDEO_SSRC, 100);
        int payload = keyframe.readableBytes() - RtpHeader.headerLength(keyframe);
        assertThat(stage.process(keyframe, facts.reset(null, false))).isTrue();
        assertThat(facts.refusedByRewriter).isFalse();
        assertThat(RtpHeader.ssrc(keyframe)).isEqualTo(VIEWER_SSRC);
        assertThat(facts.rewrittenTimestamp).isEqualTo(RtpHeader.timestamp(keyframe));
        assertThat(facts.payloadOctets).isEqualTo(payload);
        int sent = RtpHeader.sequenceNumber(keyframe);
        keyframe.release();

        ByteBuf again = StageFixture.vp8KeyframeStart(StageFixture.VIDEO_SSRC, 100);
        assertThat(stage.process(again, facts.reset(null, true))).as("a retransmission of what was sent").isTrue();
        assertThat(RtpHeader.sequenceNumber(again)).isEqualTo(sent);
        again.release();
    }

    @Test
    void rtxWrapTurnsOnlyRetransmissionsIntoRtxAndOnlyForAViewerThatNegotiatedIt() {
        RtxWrap withRtx = new RtxWrap(meter("rtx"), VIEWER_RTX_SSRC, 97);
        RtxWrap withoutRtx = new RtxWrap(meter("rtx"), 0, -1);

        ByteBuf live = copyWithRoom(StageFixture.rtp(StageFixture.VP8, VIEWER_SSRC, 7, 20));
        byte[] before = ByteBufUtil.getBytes(live);
        assertThat(withRtx.process(live, facts.reset(null, false))).isTrue();
        assertThat(ByteBufUtil.getBytes(live)).isEqualTo(before);
        live.release();

        ByteBuf plainResend = copyWithRoom(StageFixture.rtp(StageFixture.VP8, VIEWER_SSRC, 8, 20));
        assertThat(withoutRtx.process(plainResend, facts.reset(null, true))).isTrue();
        assertThat(RtpHeader.ssrc(plainResend)).isEqualTo(VIEWER_SSRC);
        plainResend.release();

        ByteBuf resend = copyWithRoom(StageFixture.rtp(StageFixture.VP8, VIEWER_SSRC, 9, 20));
        int length = resend.readableBytes();
        assertThat(withRtx.process(resend, facts.reset(null, true))).isTrue();
        assertThat(RtpHeader.ssrc(resend)).isEqualTo(VIEWER_RTX_SSRC);
        assertThat(RtpHeader.payloadType(resend)).isEqualTo(97);
        assertThat(RtxPacketizer.originalSequenceNumber(resend)).isEqualTo(9);
        assertThat(resend.readableBytes()).isEqualTo(length + RtxPacketizer.OSN_LENGTH);
        resend.release();
    }

    @Test
    void srtpProtectEncryptsInPlaceSoTheViewerCanDecryptIt() {
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        b[0] = 1;
        byte[] salt = new byte[14];
        try (SrtpTransformer bridge = new SrtpTransformer(new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, a, salt, b, salt));
             SrtpTransformer viewer = new SrtpTransformer(new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, b, salt, a, salt))) {
            SrtpProtect stage = new SrtpProtect(meter("srtp_protect"));
            ByteBuf copy = copyWithRoom(StageFixture.rtp(StageFixture.VP8, VIEWER_SSRC, 1, 20));
            byte[] plain = ByteBufUtil.getBytes(copy);
            assertThat(stage.process(copy, facts.reset(bridge, false))).isTrue();
            assertThat(copy.readableBytes()).isEqualTo(plain.length + SrtpProfile.AES_CM_128_HMAC_SHA1_80.tagBytes());
            assertThat(viewer.unprotectRtp(copy)).isTrue();
            assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(plain);
            copy.release();
        }
    }

    @Test
    void sendToViewerDropsWhatHasNowhereToGoAndCountsIt() {
        try (StageFixture fixture = new StageFixture()) {
            StageMeter meter = meter("send");
            SendToViewer stage = new SendToViewer(meter, fixture.viewer);
            ByteBuf copy = copyWithRoom(StageFixture.rtp(StageFixture.VP8, VIEWER_SSRC, 1, 20));
            assertThat(stage.process(copy, facts.reset(null, false))).isFalse();
            assertThat(facts.sent).isFalse();
            assertThat(copy.refCnt()).isZero();
            assertThat(meter.drops(DropReason.NO_REMOTE)).as("no ICE check has named the viewer's address").isEqualTo(1);
        }
    }

    /** The subscription's copy: room after the packet for an RTX header and the SRTP tag. */
    private static ByteBuf copyWithRoom(ByteBuf packet) {
        try {
            ByteBuf copy = io.netty.buffer.PooledByteBufAllocator.DEFAULT.heapBuffer(packet.readableBytes() + 18);
            return copy.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
        } finally {
            packet.release();
        }
    }
}
