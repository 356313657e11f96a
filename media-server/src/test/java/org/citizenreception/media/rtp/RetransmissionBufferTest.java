package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class RetransmissionBufferTest {
    private final FakeNanoClock clock = new FakeNanoClock();

    @Test
    void getReturnsARetainedDuplicateTheCallerReleases() {
        RetransmissionBuffer buffer = RetransmissionBuffer.forVideo(clock);
        ByteBuf packet = TestPackets.opus(1, 7, 0);
        buffer.insert(7, packet);
        ByteBuf copy = buffer.get(7);
        assertThat(copy).isNotNull();
        assertThat(RtpHeader.sequenceNumber(copy)).isEqualTo(7);
        assertThat(copy.isReadOnly()).isTrue();
        assertThat(packet.refCnt()).isEqualTo(2);
        copy.release();
        assertThat(buffer.get(8)).isNull();
        buffer.close();
        assertThat(packet.refCnt()).isZero();
    }

    @Test
    void capacityIsRoundedToAPowerOfTwoAndTheOldestIsReleased() {
        RetransmissionBuffer buffer = RetransmissionBuffer.forVideo(clock);
        assertThat(buffer.capacity()).isEqualTo(1024);
        List<ByteBuf> inserted = new ArrayList<>();
        for (int seq = 0; seq < 1100; seq++) {
            ByteBuf packet = TestPackets.opus(1, seq, 0);
            inserted.add(packet);
            buffer.insert(seq, packet);
        }
        assertThat(buffer.size()).isEqualTo(1024);
        assertThat(inserted.get(0).refCnt()).isZero();
        assertThat(buffer.get(0)).isNull();
        ByteBuf newest = buffer.get(1099);
        assertThat(newest).isNotNull();
        newest.release();
        buffer.close();
        assertThat(inserted).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void worksAcrossTheSequenceWrap() {
        RetransmissionBuffer buffer = new RetransmissionBuffer(16, 1000, clock);
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            buffer.insert(seq, TestPackets.opus(1, seq, 0));
        }
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            ByteBuf got = buffer.get(seq);
            assertThat(RtpHeader.sequenceNumber(got)).isEqualTo(seq);
            got.release();
        }
        assertThat(buffer.get(65533)).isNull();
        buffer.close();
    }

    @Test
    void aSequenceJumpTakesTheSlotEvenIfTheOldPacketLooksNewerModuloWrap() {
        RetransmissionBuffer buffer = new RetransmissionBuffer(16, 1000, clock);
        ByteBuf before = TestPackets.opus(1, 1000, 0);
        buffer.insert(1000, before);
        ByteBuf afterJump = TestPackets.opus(1, 1000 + 40_000, 0); // same slot, 40,000 ahead
        buffer.insert(1000 + 40_000, afterJump);
        assertThat(before.refCnt()).isZero();
        ByteBuf got = buffer.get(1000 + 40_000);
        assertThat(got).isNotNull();
        got.release();
        buffer.close();
    }

    @Test
    void packetsOlderThanTheAgeBoundAreNotServedAndAreReleased() {
        RetransmissionBuffer buffer = new RetransmissionBuffer(16, 1000, clock);
        ByteBuf old = TestPackets.opus(1, 1, 0);
        buffer.insert(1, old);
        ByteBuf older = TestPackets.opus(1, 2, 0);
        buffer.insert(2, older);
        clock.advanceMillis(1001);
        assertThat(buffer.get(1)).isNull();
        assertThat(old.refCnt()).isZero();
        buffer.evictExpired();
        assertThat(older.refCnt()).isZero();
        assertThat(buffer.size()).isZero();
        buffer.close();
    }

    @Test
    void closeIsIdempotentAndLaterInsertsAreReleased() {
        RetransmissionBuffer buffer = new RetransmissionBuffer(4, 1000, clock);
        buffer.close();
        buffer.close();
        ByteBuf late = TestPackets.opus(1, 1, 0);
        buffer.insert(1, late);
        assertThat(late.refCnt()).isZero();
        assertThat(buffer.get(1)).isNull();
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new RetransmissionBuffer(0, 1000, clock)).hasMessageContaining("maxPackets");
        assertThatThrownBy(() -> new RetransmissionBuffer(10, 0, clock)).hasMessageContaining("maxAgeMillis");
    }
}
