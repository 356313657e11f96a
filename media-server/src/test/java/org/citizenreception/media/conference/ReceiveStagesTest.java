package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.citizenreception.media.rtcp.Pli;
import org.citizenreception.media.rtp.NoLeaks;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.rtp.RtxPacketizer;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;
import org.citizenreception.media.stats.StageMeter.Direction;
import org.citizenreception.media.transport.PacketSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each receive stage driven directly, one packet at a time, with tracked buffers: what it lets
 * through, what it drops (counted under its reason, released by the base type) and what it
 * records on the real {@link Source}s of a published Chromium offer.
 */
@ExtendWith(NoLeaks.class)
class ReceiveStagesTest {
    private final StageFixture fixture = new StageFixture();
    private final ReceivedPacket facts = new ReceivedPacket();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static StageMeter meter(String name) {
        return new StageMeter(Direction.RECEIVE, name);
    }

    @Test
    void srtpDecryptLetsAnAuthenticPacketThroughInPlainAndDropsAForgedOne() {
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        b[0] = 1;
        byte[] saltA = new byte[14];
        byte[] saltB = new byte[14];
        saltB[0] = 2;
        try (SrtpTransformer browser = new SrtpTransformer(new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, a, saltA, b, saltB));
             SrtpTransformer bridge = new SrtpTransformer(new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, b, saltB, a, saltA))) {
            List<Integer> authenticated = new ArrayList<>();
            StageMeter meter = meter("srtp_decrypt");
            SrtpDecrypt stage = new SrtpDecrypt(meter, (length, elsewhere) -> authenticated.add(length));

            ByteBuf packet = StageFixture.rtp(StageFixture.OPUS, StageFixture.AUDIO_SSRC, 1, 40);
            byte[] plain = ByteBufUtil.getBytes(packet);
            assertThat(browser.protectRtp(packet)).isTrue();
            int encrypted = packet.readableBytes();
            assertThat(stage.process(packet, facts.reset(bridge, null))).isTrue();
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(plain);
            assertThat(facts.rtcp).isFalse();
            assertThat(authenticated).containsExactly(encrypted);
            packet.release();

            ByteBuf forged = StageFixture.rtp(StageFixture.OPUS, StageFixture.AUDIO_SSRC, 2, 40);
            assertThat(browser.protectRtp(forged)).isTrue();
            forged.setByte(forged.writerIndex() - 1, forged.getByte(forged.writerIndex() - 1) ^ 1);
            assertThat(stage.process(forged, facts.reset(bridge, new InetSocketAddress("127.0.0.1", 9)))).isFalse();
            assertThat(forged.refCnt()).isZero();
            assertThat(meter.drops(DropReason.SRTP_AUTH_FAILED)).isEqualTo(1);
            assertThat(authenticated).as("a forged packet proves no address").hasSize(1);
        }
    }

    @Test
    void rtcpSplitHandsRtcpToItsReaderAndReleasesItAndDropsRtpThatDoesNotParse() {
        AtomicInteger rtcpRead = new AtomicInteger();
        StageMeter meter = meter("rtcp_split");
        RtcpSplit stage = new RtcpSplit(meter, rtcp -> rtcpRead.incrementAndGet());

        ByteBuf pli = PooledByteBufAllocator.DEFAULT.heapBuffer(12);
        Pli.write(pli, 1, StageFixture.VIDEO_SSRC);
        facts.reset(null, null).rtcp = true;
        assertThat(stage.process(pli, facts)).isFalse();
        assertThat(pli.refCnt()).isZero();
        assertThat(rtcpRead).hasValue(1);

        ByteBuf truncated = PooledByteBufAllocator.DEFAULT.heapBuffer(8).writeInt(0x80600001).writeInt(0);
        assertThat(stage.process(truncated, facts.reset(null, null))).isFalse();
        assertThat(truncated.refCnt()).isZero();
        assertThat(meter.drops(DropReason.RTP_MALFORMED)).isEqualTo(1);

        ByteBuf rtp = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 7, 20);
        assertThat(stage.process(rtp, facts.reset(null, null))).isTrue();
        assertThat(rtp.refCnt()).isEqualTo(1);
        rtp.release();
    }

    @Test
    void transportCcRecordingNotesEveryPacketWithATransportSequenceNumberAndNeverDrops() {
        TransportCcRecording stage = new TransportCcRecording(meter("transport_cc"), StageFixture.TRANSPORT_CC_EXTENSION,
                0x0C0C0C0C, System::nanoTime);
        ByteBuf plain = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 1, 10);
        assertThat(stage.process(plain, facts.reset(null, null))).isTrue();
        assertThat(stage.recorder()).as("no transport-wide sequence number yet").isNull();
        plain.release();

        // one-byte header extension: id 3, two bytes, transport sequence 0x0102
        ByteBuf extended = PooledByteBufAllocator.DEFAULT.heapBuffer(32)
                .writeBytes(ByteBufUtil.decodeHexDump("90600002000000006cd0b3f0bede000131010200c0ffee".replace(" ", "")));
        assertThat(stage.process(extended, facts.reset(null, null))).isTrue();
        assertThat(stage.recorder()).isNotNull();
        assertThat(stage.recorder().hasUnreported()).isTrue();
        extended.release();
    }

    @Test
    void ssrcRoutingFindsTheSourceUnwrapsRtxAndDropsProbesStrangersAndViewersMedia() {
        StageMeter meter = meter("ssrc_routing");
        SsrcRouting stage = new SsrcRouting(meter, true);
        fixture.publisher.sources().forEach(stage::add);

        ByteBuf video = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 10, 20);
        assertThat(stage.process(video, facts.reset(null, null))).isTrue();
        assertThat(facts.source).isSameAs(fixture.source(MediaKind.VIDEO));
        video.release();

        ByteBuf original = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 11, 20);
        ByteBuf rtx = RtxPacketizer.wrap(PooledByteBufAllocator.DEFAULT, original, StageFixture.VIDEO_RTX_SSRC, 97, 500);
        original.release();
        assertThat(stage.process(rtx, facts.reset(null, null))).isTrue();
        assertThat(facts.source).isSameAs(fixture.source(MediaKind.VIDEO));
        assertThat(RtpHeader.ssrc(rtx)).isEqualTo(StageFixture.VIDEO_SSRC);
        assertThat(RtpHeader.sequenceNumber(rtx)).isEqualTo(11);
        rtx.release();

        ByteBuf probe = StageFixture.rtp(97, StageFixture.VIDEO_RTX_SSRC, 501, 0);
        assertThat(stage.process(probe, facts.reset(null, null))).isFalse();
        assertThat(probe.refCnt()).isZero();
        assertThat(meter.drops(DropReason.RTX_PADDING)).isEqualTo(1);

        ByteBuf stranger = StageFixture.rtp(StageFixture.VP8, 0x5555, 1, 20);
        assertThat(stage.process(stranger, facts.reset(null, null))).isFalse();
        assertThat(stranger.refCnt()).isZero();
        assertThat(meter.drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);

        SsrcRouting viewerRouting = new SsrcRouting(meter, false);
        ByteBuf fromViewer = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 12, 20);
        assertThat(viewerRouting.process(fromViewer, facts.reset(null, null))).isFalse();
        assertThat(fromViewer.refCnt()).isZero();
        assertThat(meter.drops(DropReason.NOT_PUBLISHING)).isEqualTo(1);
    }

    @Test
    void sourceHistoryKeepsVideoForRetransmissionAndTracksTheHighestSequence() {
        Source video = fixture.source(MediaKind.VIDEO);
        SourceHistory stage = new SourceHistory(meter("source_history"));
        ByteBuf packet = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 300, 20);
        facts.reset(null, null).source = video;
        assertThat(stage.process(packet, facts)).isTrue();
        assertThat(video.highestSequence()).isEqualTo(300);
        assertThat(packet.refCnt()).as("the buffer's reference and ours").isEqualTo(2);
        ByteBuf kept = video.retransmission(300);
        assertThat(kept).isNotNull();
        assertThat(RtpHeader.sequenceNumber(kept)).isEqualTo(300);
        kept.release();
        packet.release();
    }

    @Test
    void keyframeTrackingMarksTheFirstPacketOfAKeyframeOnly() {
        Source video = fixture.source(MediaKind.VIDEO);
        KeyframeTracking stage = new KeyframeTracking(meter("keyframe_tracking"), () -> 5_000_000_000L);
        ByteBuf delta = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 40, 20);
        facts.reset(null, null).source = video;
        assertThat(stage.process(delta, facts)).isTrue();
        assertThat(facts.keyframe).isFalse();
        assertThat(video.lastKeyframeSequence()).isEqualTo(-1);
        delta.release();

        ByteBuf keyframe = StageFixture.vp8KeyframeStart(StageFixture.VIDEO_SSRC, 41);
        facts.reset(null, null).source = video;
        assertThat(stage.process(keyframe, facts)).isTrue();
        assertThat(facts.keyframe).isTrue();
        assertThat(video.lastKeyframeSequence()).isEqualTo(41);
        assertThat(video.keyframeAgeNanos(5_000_000_000L)).isZero();
        keyframe.release();
    }

    @Test
    void audioLevelReadingHandsAnAudioPacketsLevelToTheSpeakerDetectionAndPassesEveryPacketOn() {
        List<Integer> levels = new ArrayList<>();
        AudioLevelReading stage = new AudioLevelReading(meter("audio_level"), (source, level) -> levels.add(level));
        // one-byte extension id 1 (audio level), one byte: voice bit set, level 10 dBov
        ByteBuf audio = PooledByteBufAllocator.DEFAULT.heapBuffer(32)
                .writeBytes(ByteBufUtil.decodeHexDump("906f0003000000000976d559bede0001108a0000c0ffee"));
        facts.reset(null, null).source = fixture.source(MediaKind.AUDIO);
        assertThat(stage.process(audio, facts)).isTrue();
        assertThat(audio.refCnt()).isEqualTo(1);
        assertThat(levels).as("the raw byte: voice bit and 10 dBov").containsExactly(0x8a);
        audio.release();

        ByteBuf video = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 1, 20);
        facts.reset(null, null).source = fixture.source(MediaKind.VIDEO);
        assertThat(stage.process(video, facts)).isTrue();
        assertThat(levels).as("video carries no level").hasSize(1);
        video.release();
    }

    @Test
    void fanOutConsumesThePacketAndReleasesItOnceWhoeverWatches() {
        List<Object> handedToViewers = new ArrayList<>();
        PacketSender recording = new PacketSender() {
            @Override
            public void send(ByteBuf payload, InetSocketAddress recipient) {
                payload.release();
            }

            @Override
            public <T> void forEachInParallel(List<T> items, java.util.function.Consumer<? super T> action) {
                handedToViewers.addAll(items);
                items.forEach(action);
            }

            @Override
            public io.netty.buffer.ByteBufAllocator alloc() {
                return PooledByteBufAllocator.DEFAULT;
            }

            @Override
            public io.netty.channel.EventLoop eventLoop() {
                throw new UnsupportedOperationException("not needed by the fan-out");
            }
        };
        StageMeter meter = meter("fan_out");
        FanOut stage = new FanOut(meter, recording, () -> 0L);
        ByteBuf packet = StageFixture.rtp(StageFixture.VP8, StageFixture.VIDEO_SSRC, 50, 20);
        facts.reset(null, null).source = fixture.source(MediaKind.VIDEO);
        assertThat(stage.process(packet, facts)).isFalse();
        assertThat(packet.refCnt()).isZero();
        assertThat(handedToViewers).containsExactly(fixture.subscription(MediaKind.VIDEO));
        for (DropReason reason : DropReason.values()) {
            assertThat(meter.drops(reason)).isZero();
        }
    }
}
