package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.citizenreception.media.rtp.TestPackets.opus;
import static org.citizenreception.media.rtp.TestPackets.pictureId;
import static org.citizenreception.media.rtp.TestPackets.tl0PicIdx;
import static org.citizenreception.media.rtp.TestPackets.vp8;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class SlotRewriterTest {
    private static final int OUT = 0x0A0A0A0A;
    private static final int HOST = 0x11111111;
    private static final int GUEST = 0x22222222;

    private final FakeNanoClock clock = new FakeNanoClock();
    private final SlotRewriter video = SlotRewriter.forVideo(OUT, 90_000, clock);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (ByteBuf buf : buffers) {
            assertThat(buf.release()).isTrue();
        }
    }

    @Test
    void firstSourceStartsAtItsFirstKeyframeOnTheFixedSsrc() {
        video.switchTo(HOST, VideoCodec.VP8);
        assertThat(video.accepts(HOST)).isTrue();
        assertThat(video.rewrite(keep(vp8(HOST, 99, 1000, 5, 1, false)))).isFalse();
        ByteBuf keyframe = keep(vp8(HOST, 100, 2000, 6, 2, true));
        assertThat(video.rewrite(keyframe)).isTrue();
        assertThat(RtpHeader.ssrc(keyframe)).isEqualTo(OUT);
        assertThat(RtpHeader.sequenceNumber(keyframe)).isEqualTo(100);
        assertThat(RtpHeader.timestamp(keyframe)).isEqualTo(2000);
        assertThat(video.hasSource()).isTrue();
        assertThat(video.currentSourceSsrc()).isEqualTo(HOST);
        assertThat(video.isSwitchPending()).isFalse();
    }

    @Test
    void switchWaitsForTheNewSourcesKeyframeThenContinuesEveryCounter() {
        startHostAt(100, 9000, 300, 40);
        forward(vp8(HOST, 101, 9000 + 3000, 301, 41, false));

        video.switchTo(GUEST, VideoCodec.VP8);
        assertThat(video.rewrite(keep(vp8(GUEST, 5000, 777, 20, 7, false)))).as("guest before keyframe").isFalse();
        ByteBuf hostStillFlows = forward(vp8(HOST, 102, 9000 + 6000, 302, 42, false));
        assertThat(RtpHeader.sequenceNumber(hostStillFlows)).isEqualTo(102);

        clock.advanceMillis(40);
        ByteBuf guestKeyframe = forward(vp8(GUEST, 5001, 800_000, 21, 8, true));
        assertThat(RtpHeader.ssrc(guestKeyframe)).isEqualTo(OUT);
        assertThat(RtpHeader.sequenceNumber(guestKeyframe)).isEqualTo(103);
        assertThat(RtpHeader.timestamp(guestKeyframe)).isEqualTo(9000 + 6000 + 3600);
        assertThat(pictureId(guestKeyframe)).isEqualTo(303);
        assertThat(tl0PicIdx(guestKeyframe)).isEqualTo(43);

        assertThat(video.rewrite(keep(vp8(HOST, 103, 9000 + 9000, 303, 43, false)))).as("old source after switch").isFalse();
        ByteBuf guestNext = forward(vp8(GUEST, 5002, 800_000 + 3000, 22, 8, false));
        assertThat(RtpHeader.sequenceNumber(guestNext)).isEqualTo(104);
        assertThat(RtpHeader.timestamp(guestNext)).isEqualTo(9000 + 6000 + 3600 + 3000);
        assertThat(pictureId(guestNext)).isEqualTo(304);
    }

    @Test
    void countersWrapAroundAcrossASwitch() {
        startHostAt(65534, 0xFFFFF000, 0x7FFF, 255);
        forward(vp8(HOST, 65535, 0xFFFFFC00, 0, 0, false));
        video.switchTo(GUEST, VideoCodec.VP8);
        clock.advanceMillis(10);
        ByteBuf guest = forward(vp8(GUEST, 30, 1234, 100, 9, true));
        assertThat(RtpHeader.sequenceNumber(guest)).isZero();
        assertThat(RtpHeader.timestamp(guest)).isEqualTo(0xFFFFFC00 + 900);
        assertThat(pictureId(guest)).isEqualTo(1);
        assertThat(tl0PicIdx(guest)).isEqualTo(1);
        ByteBuf next = forward(vp8(GUEST, 31, 1234 + 3000, 101, 9, false));
        assertThat(RtpHeader.sequenceNumber(next)).isEqualTo(1);
        assertThat(RtpHeader.timestamp(next)).isEqualTo(0xFFFFFC00 + 900 + 3000);
    }

    @Test
    void reorderedPacketsKeepTheirPlaceAndDuplicatesOrPreSwitchPacketsAreDropped() {
        startHostAt(10, 0, 1, 1);
        forward(vp8(HOST, 12, 0, 2, 1, false));
        ByteBuf late = forward(vp8(HOST, 11, 0, 2, 1, false));
        assertThat(RtpHeader.sequenceNumber(late)).isEqualTo(11);
        assertThat(video.rewrite(keep(vp8(HOST, 11, 0, 2, 1, false)))).as("duplicate").isFalse();
        assertThat(video.rewrite(keep(vp8(HOST, 9, 0, 0, 1, false)))).as("older than the keyframe").isFalse();
        assertThat(video.rewrite(keep(vp8(HOST, 200, 0, 0, 1, false)))).isTrue();
        assertThat(video.rewrite(keep(vp8(HOST, 12, 0, 0, 1, false)))).as("out of the 64-packet window").isFalse();
    }

    @Test
    void translatesViewerSequenceNumbersBackToEachSourceForNacks() {
        startHostAt(100, 0, 1, 1);
        forward(vp8(HOST, 101, 0, 2, 1, false));
        video.switchTo(GUEST, VideoCodec.VP8);
        forward(vp8(GUEST, 7000, 0, 1, 1, true));

        assertThat(video.sourceSsrcOf(101)).isEqualTo(HOST);
        assertThat(video.incomingSequenceNumberOf(101)).isEqualTo(101);
        assertThat(video.sourceSsrcOf(102)).isEqualTo(GUEST);
        assertThat(video.incomingSequenceNumberOf(102)).isEqualTo(7000);

        ByteBuf retransmission = keep(vp8(HOST, 101, 3000, 2, 1, false));
        assertThat(video.rewriteRetransmission(retransmission)).isTrue();
        assertThat(RtpHeader.ssrc(retransmission)).isEqualTo(OUT);
        assertThat(RtpHeader.sequenceNumber(retransmission)).isEqualTo(101);
        assertThat(video.rewriteRetransmission(keep(vp8(0x33333333, 1, 0, 1, 1, false)))).isFalse();
    }

    @Test
    void senderReportFieldsFollowWhatWasForwarded() {
        assertThat(video.hasForwarded()).isFalse();
        startHostAt(1, 90_000, 1, 1);
        clock.advanceMillis(100);
        assertThat(video.hasForwarded()).isTrue();
        assertThat(video.rtpTimestampNow()).isEqualTo(90_000 + 9_000);
        assertThat(video.packetsForwarded()).isEqualTo(1);
        assertThat(video.payloadOctetsForwarded()).isEqualTo(26);
    }

    @Test
    void aLongRunningStreamKeepsFlowingAndNacksStillTranslateAfterManyWraps() {
        ByteBuf packet = keep(Bytes.untracked(vp8(HOST, 0, 0, 0, 0, true)));
        video.switchTo(HOST, VideoCodec.VP8);
        int outgoingSeq = -1;
        for (int i = 0; i < 3 * 65536 + 100; i++) {
            RtpHeader.setSsrc(packet, HOST);
            RtpHeader.setSequenceNumber(packet, (1000 + i) & 0xFFFF);
            assertThat(video.rewrite(packet)).as("packet %d", i).isTrue();
            outgoingSeq = RtpHeader.sequenceNumber(packet);
        }
        assertThat(video.incomingSequenceNumberOf(outgoingSeq)).isEqualTo((1000 + 3 * 65536 + 99) & 0xFFFF);
        assertThat(video.sourceSsrcOf(outgoingSeq)).isEqualTo(HOST);
        assertThat(video.incomingSequenceNumberOf(SequenceNumbers.add(outgoingSeq, -500))).isEqualTo((1000 + 3 * 65536 + 99 - 500) & 0xFFFF);
        assertThat(video.incomingSequenceNumberOf(SequenceNumbers.add(outgoingSeq, 1))).as("not sent yet").isEqualTo(-1);

        ByteBuf retransmission = keep(vp8(HOST, (1000 + 3 * 65536 + 50) & 0xFFFF, 0, 0, 0, false));
        assertThat(video.rewriteRetransmission(retransmission)).isTrue();
        assertThat(RtpHeader.sequenceNumber(retransmission)).isEqualTo(SequenceNumbers.add(outgoingSeq, -49));
    }

    @Test
    void aSourceThatRestartsItsSequenceIsReanchoredSoTheViewerSeesNoJump() {
        startHostAt(100, 0, 1, 1);
        clock.advanceMillis(33);
        ByteBuf jumpedAhead = forward(vp8(HOST, 50_000, 3000, 2, 1, false));
        assertThat(RtpHeader.sequenceNumber(jumpedAhead)).isEqualTo(101);
        clock.advanceMillis(33);
        ByteBuf jumpedBack = forward(vp8(HOST, 7, 6000, 3, 1, false));
        assertThat(RtpHeader.sequenceNumber(jumpedBack)).isEqualTo(102);
        ByteBuf next = forward(vp8(HOST, 8, 9000, 4, 1, false));
        assertThat(RtpHeader.sequenceNumber(next)).isEqualTo(103);
        assertThat(video.incomingSequenceNumberOf(101)).isEqualTo(50_000);
    }

    @Test
    void anH264GuestIsSwitchedInAtItsSpsNotAtAnInterframe() {
        startHostAt(10, 0, 1, 1);
        video.switchTo(GUEST, VideoCodec.H264);
        ByteBuf slice = keep(TestPackets.header(102, GUEST, 500, 0));
        slice.writeBytes(new byte[] {0x41, (byte) 0x9a, 0x02});
        assertThat(video.rewrite(slice)).isFalse();
        ByteBuf stapA = keep(TestPackets.header(102, GUEST, 501, 0));
        stapA.writeBytes(new byte[] {0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, (byte) 0xce});
        assertThat(video.rewrite(stapA)).isTrue();
        assertThat(RtpHeader.sequenceNumber(stapA)).isEqualTo(11);
        assertThat(video.currentSourceSsrc()).isEqualTo(GUEST);
    }

    @Test
    void unknownViewerSequenceNumbersTranslateToNothing() {
        assertThat(video.incomingSequenceNumberOf(5)).isEqualTo(-1);
    }

    @Test
    void audioSwitchesOnTheNewSourcesNextPacket() {
        SlotRewriter audio = SlotRewriter.forAudio(OUT, 48_000, clock);
        audio.switchTo(HOST, null);
        ByteBuf first = keep(opus(HOST, 500, 48_000));
        assertThat(audio.rewrite(first)).isTrue();
        audio.switchTo(GUEST, null);
        clock.advanceMillis(20);
        ByteBuf guest = keep(opus(GUEST, 9, 5));
        assertThat(audio.rewrite(guest)).isTrue();
        assertThat(RtpHeader.sequenceNumber(guest)).isEqualTo(501);
        assertThat(RtpHeader.timestamp(guest)).isEqualTo(48_000 + 960);
        assertThat(RtpHeader.ssrc(guest)).isEqualTo(OUT);
    }

    @Test
    void clearedSlotForwardsNothingAndMalformedPacketsAreDropped() {
        startHostAt(1, 0, 1, 1);
        video.clear();
        assertThat(video.accepts(HOST)).isFalse();
        assertThat(video.rewrite(keep(vp8(HOST, 2, 0, 2, 1, true)))).isFalse();
        assertThat(video.rewrite(keep(Bytes.hex("8060")))).isFalse();
        assertThat(video.accepts(GUEST)).isFalse();
    }

    @Test
    void videoSlotsNeedACodecToFindKeyframes() {
        assertThatThrownBy(() -> video.switchTo(HOST, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private void startHostAt(int seq, int timestamp, int pictureId, int tl0PicIdx) {
        video.switchTo(HOST, VideoCodec.VP8);
        forward(vp8(HOST, seq, timestamp, pictureId, tl0PicIdx, true));
    }

    private ByteBuf forward(ByteBuf packet) {
        keep(packet);
        assertThat(video.rewrite(packet)).isTrue();
        return packet;
    }

    private ByteBuf keep(ByteBuf packet) {
        buffers.add(packet);
        return packet;
    }
}
