package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CascadeSweepTest {
    @Test
    void theStarHangsTwoLeavesOffTheRootAndTheChainIsTwoHopsDeep() {
        CascadeSweep.Topology star = CascadeSweep.Topology.named("star");
        CascadeSweep.Topology chain = CascadeSweep.Topology.named("chain");

        assertThat(star.bridges()).extracting(CascadeSweep.Position::upstream).containsExactly(-1, 0, 0);
        assertThat(star.hops(1)).isEqualTo(1);
        assertThat(star.hops(2)).isEqualTo(1);
        assertThat(chain.bridges()).extracting(CascadeSweep.Position::upstream).containsExactly(-1, 0, 1);
        assertThat(chain.hops(0)).isZero();
        assertThat(chain.hops(2)).isEqualTo(2);
        assertThatThrownBy(() -> CascadeSweep.Topology.named("ring")).hasMessageContaining("--topologies");
    }

    @Test
    void aBridgeSampleCrossesTheProcessProtocolUnchanged() {
        BridgeSample leaf = new BridgeSample(123_456_789L, 987_654_321L, 42_000L,
                new BridgeSample.Link(9_001L, 3L, 1L, 17L, 300_000L));
        BridgeSample root = new BridgeSample(5L, -1L, 7L, null);

        assertThat(BridgeSample.decode(leaf.encode())).isEqualTo(leaf);
        assertThat(BridgeSample.decode(root.encode())).isEqualTo(root);
    }

    @Test
    void sdpCrossesTheProcessProtocolOnOneLine() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Tiếp công dân\r\n";

        String line = BridgeProcessMain.encode(sdp);

        assertThat(line).doesNotContain(" ", "\n", "\r");
        assertThat(BridgeProcessMain.decode(line)).isEqualTo(sdp);
    }

    @Test
    void theReportsNotesNameEverySaturatedPoint() {
        String notes = CascadeSweep.notes(java.util.List.of("chain N=50: region's p95 latency is over a second"),
                java.util.List.of("chain N=50: 310 video packets/s, 5 keyframes (2 requested up to it)"));

        assertThat(notes).contains("over 100 %: a backlog", "**Saturated**", "chain N=50: region's p95 latency",
                "The publisher in each window: chain N=50: 310 video packets/s");
        assertThat(CascadeSweep.notes(java.util.List.of(), java.util.List.of())).doesNotContain("Saturated", "publisher in each");
    }
}
