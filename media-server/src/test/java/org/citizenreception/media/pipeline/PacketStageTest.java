package org.citizenreception.media.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.citizenreception.media.rtp.Bytes;
import org.citizenreception.media.rtp.NoLeaks;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.StageMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The base type counts for its stages and alone releases what they drop; tracked buffers, leak detector on. */
@ExtendWith(NoLeaks.class)
class PacketStageTest {
    /** Answers whatever verdict it is given; a consuming answer releases the packet as the contract says. */
    private static final class Scripted extends PacketStage<Verdict[]> {
        Scripted(StageMeter meter) {
            super(meter);
        }

        @Override
        protected Verdict handle(ByteBuf packet, Verdict[] answer) {
            long entered = System.nanoTime();
            while (System.nanoTime() == entered) {
                Thread.onSpinWait(); // every handling takes at least a tick, so a sampled one measures > 0
            }
            if (answer[0] == Verdict.CONSUMED) {
                packet.release();
            }
            return answer[0];
        }
    }

    private final StageMeter meter = new StageMeter(StageMeter.Direction.RECEIVE, "scripted");
    private final Scripted stage = new Scripted(meter);

    @Test
    void aPacketThatContinuesIsCountedAndLeftToTheCaller() {
        ByteBuf packet = Bytes.hex("80 60 00 01 00000000 11111111 aabbcc");
        assertThat(stage.process(packet, new Verdict[] {Verdict.CONTINUE})).isTrue();
        assertThat(packet.refCnt()).isEqualTo(1);
        assertThat(meter.packets()).isEqualTo(1);
        assertThat(meter.bytes()).isEqualTo(15);
        packet.release();
    }

    @Test
    void aDroppedPacketIsReleasedOnceByTheBaseAndCountedUnderItsReason() {
        ByteBuf packet = Bytes.hex("80 60 00 01 00000000 11111111");
        assertThat(stage.process(packet, new Verdict[] {Verdict.dropped(DropReason.UNKNOWN_SSRC)})).isFalse();
        assertThat(packet.refCnt()).isZero();
        assertThat(meter.drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
        assertThat(meter.drops(DropReason.RTP_MALFORMED)).isZero();
        assertThat(meter.packets()).isEqualTo(1);
    }

    @Test
    void aConsumedPacketIsTheStagesToReleaseAndNoDrop() {
        ByteBuf packet = Bytes.hex("80 60 00 01 00000000 11111111");
        assertThat(stage.process(packet, new Verdict[] {Verdict.CONSUMED})).isFalse();
        assertThat(packet.refCnt()).isZero();
        for (DropReason reason : DropReason.values()) {
            assertThat(meter.drops(reason)).as("drops for %s", reason).isZero();
        }
    }

    @Test
    void timeIsSampledOnOnePacketInTheIntervalAndScaledToAnEstimateOfAll() {
        Verdict[] answer = {Verdict.CONTINUE};
        ByteBuf packet = Bytes.hex("80 60 00 01 00000000 11111111");
        for (int i = 0; i < StageMeter.TIMING_SAMPLE_INTERVAL - 1; i++) {
            stage.process(packet, answer);
        }
        assertThat(meter.estimatedNanos()).as("before the interval's last packet").isZero();
        stage.process(packet, answer);
        assertThat(meter.estimatedNanos()).as("after the interval's last packet")
                .isPositive().isEqualTo(meter.estimatedNanos() / StageMeter.TIMING_SAMPLE_INTERVAL * StageMeter.TIMING_SAMPLE_INTERVAL);
        packet.release();
    }

    @Test
    void everyDropReasonHasOneSharedVerdictSoDroppingAllocatesNothing() {
        for (DropReason reason : DropReason.values()) {
            assertThat(Verdict.dropped(reason)).isSameAs(Verdict.dropped(reason));
            assertThat(Verdict.dropped(reason).reason()).isEqualTo(reason);
        }
        assertThat(Verdict.CONTINUE.reason()).isNull();
        assertThat(Verdict.CONSUMED.reason()).isNull();
    }
}
