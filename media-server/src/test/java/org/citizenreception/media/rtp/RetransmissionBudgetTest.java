package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetransmissionBudgetTest {
    @Test
    void aFullBucketSpendsItsBurstThenRefusesUntilTheRateRefillsIt() {
        FakeNanoClock clock = new FakeNanoClock();
        RetransmissionBudget budget = new RetransmissionBudget(80_000, 5_000, clock); // 10,000 bytes/s
        assertThat(budget.trySpend(4_000)).isTrue();
        assertThat(budget.trySpend(1_000)).isTrue();
        assertThat(budget.trySpend(1)).as("burst spent").isFalse();
        clock.advanceMillis(100);
        assertThat(budget.availableBytes()).isEqualTo(1_000);
        assertThat(budget.trySpend(1_200)).as("a refused packet takes nothing").isFalse();
        assertThat(budget.trySpend(1_000)).isTrue();
        clock.advanceMillis(60_000);
        assertThat(budget.availableBytes()).as("never more than the burst").isEqualTo(5_000);
    }

    @Test
    void slowRefillsLoseNoFractionOfAByte() {
        FakeNanoClock clock = new FakeNanoClock();
        RetransmissionBudget budget = new RetransmissionBudget(8, 10, clock); // one byte per second
        assertThat(budget.trySpend(10)).isTrue();
        for (int i = 0; i < 4; i++) {
            clock.advanceMillis(250);
            budget.availableBytes();
        }
        assertThat(budget.availableBytes()).isEqualTo(1);
    }

    @Test
    void aPacketIsResentAtMostOncePerInterval() {
        ResendInterval resends = new ResendInterval(100_000_000L);
        assertThat(resends.mayResend(7, 0)).isTrue();
        resends.resent(7, 0);
        assertThat(resends.mayResend(7, 99_999_999L)).isFalse();
        assertThat(resends.mayResend(8, 50_000_000L)).as("another packet").isTrue();
        assertThat(resends.mayResend(7 + 2048, 50_000_000L)).as("a packet a ring later sharing the slot").isTrue();
        assertThat(resends.mayResend(7, 100_000_000L)).isTrue();
    }
}
