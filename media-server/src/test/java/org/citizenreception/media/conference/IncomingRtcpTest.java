package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.citizenreception.media.rtcp.ReceiverReport;
import org.citizenreception.media.rtcp.ReportBlock;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtp.NoLeaks;
import org.citizenreception.media.sdp.MediaKind;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.StageMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RTCP reaches the object it names: a publisher's SR its source, a viewer's RR its subscription; it is only borrowed. */
@ExtendWith(NoLeaks.class)
class IncomingRtcpTest {
    private final StageFixture fixture = new StageFixture();
    private final MediaMetrics metrics = new MediaMetrics(new SimpleMeterRegistry());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aPublishersSenderReportReachesItsSourceForTheViewersLipSync() {
        SsrcRouting routing = new SsrcRouting(new StageMeter(StageMeter.Direction.RECEIVE, "ssrc_routing"), true);
        fixture.publisher.sources().forEach(routing::add);
        IncomingRtcp rtcp = new IncomingRtcp(true, List.of(), routing, metrics, () -> 7_000_000_000L, null);
        Source video = fixture.source(MediaKind.VIDEO);
        assertThat(video.hasSenderReport()).isFalse();

        ByteBuf report = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        SenderReport.write(report, StageFixture.VIDEO_SSRC, 0x1234_5678_0000_0000L, 90_000, 10, 1000, 0);
        rtcp.read(report);
        assertThat(report.refCnt()).as("borrowed, not released").isEqualTo(1);
        report.release();
        assertThat(video.hasSenderReport()).isTrue();
        assertThat(fixture.source(MediaKind.AUDIO).hasSenderReport()).isFalse();
    }

    @Test
    void aViewersReceiverReportSetsTheLossOfTheSubscriptionItNames() {
        Subscription video = fixture.subscription(MediaKind.VIDEO);
        IncomingRtcp rtcp = new IncomingRtcp(false, fixture.viewer.subscriptions(), null, metrics, () -> 0L, null);

        ByteBuf report = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        ReceiverReport.write(report, 0x7777, 1);
        ReportBlock.write(report, video.outgoingSsrcBits(), 0, 17, 1000, 0, 0, 0);
        rtcp.read(report);
        report.release();
        assertThat(video.reportedLost()).isEqualTo(17);
        assertThat(fixture.subscription(MediaKind.AUDIO).reportedLost()).isZero();
    }

    @Test
    void aTruncatedCompoundIsCountedAsMalformed() {
        IncomingRtcp rtcp = new IncomingRtcp(false, fixture.viewer.subscriptions(), null, metrics, () -> 0L, null);
        ByteBuf truncated = PooledByteBufAllocator.DEFAULT.heapBuffer(8).writeInt(0x81c90007).writeInt(0x7777);
        rtcp.read(truncated);
        truncated.release();
        assertThat(metrics.droppedCount(DropReason.RTP_MALFORMED)).isEqualTo(1);
    }
}
