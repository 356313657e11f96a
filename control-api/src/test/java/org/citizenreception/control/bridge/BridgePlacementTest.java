package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BridgePlacementTest {
    private static final Instant T = Instant.parse("2026-12-03T08:00:00Z");
    private static final List<String> BAI_CHAY = List.of("QN25-BAI-CHAY", "QN-VP");
    private static final List<String> CO_TO = List.of("QN25-CO-TO", "QN-VP");

    private static BridgeRegistry.Bridge bridge(String id, String region, int endpoints, int capacity) {
        return new BridgeRegistry.Bridge(id, new BridgeWire.Heartbeat("http://127.0.0.1:1", "127.0.0.1:1", region, capacity, endpoints, 0, 0),
                T, T, false, true);
    }

    private static Optional<String> choose(List<BridgeRegistry.Bridge> bridges, List<String> roomPath) {
        return BridgePlacement.choose(bridges, roomPath).map(BridgeRegistry.Bridge::id);
    }

    @Test
    void aRoomGoesToTheBridgeOfItsOwnRegionBeforeAnyOther() {
        var bridges = List.of(bridge("anyone", "", 0, 100), bridge("province", "QN-VP", 0, 100), bridge("bai-chay", "QN25-BAI-CHAY", 90, 100));
        assertThat(choose(bridges, BAI_CHAY)).contains("bai-chay");
        assertThat(choose(bridges, CO_TO)).as("the nearest parent's region").contains("province");
    }

    @Test
    void withoutABridgeOfItsRegionARoomGoesToOneWithoutRegionThenToAnyOther() {
        assertThat(choose(List.of(bridge("hai-phong", "HP-VP", 0, 100), bridge("anyone", "", 50, 100)), CO_TO)).contains("anyone");
        assertThat(choose(List.of(bridge("hai-phong", "HP-VP", 0, 100)), CO_TO)).contains("hai-phong");
        assertThat(choose(List.of(bridge("anyone", "", 0, 100), bridge("bai-chay", "QN25-BAI-CHAY", 0, 100)), List.of()))
                .as("the host's consoles have no room: a bridge without region first").contains("anyone");
    }

    @Test
    void amongEqualsTheLeastLoadedTakesTheEndpointThenTheFirstById() {
        var bridges = List.of(bridge("b", "", 40, 100), bridge("a", "", 30, 50), bridge("c", "", 10, 100));
        assertThat(choose(bridges, CO_TO)).as("10/100 is lighter than 30/50").contains("c");
        assertThat(choose(List.of(bridge("y", "", 5, 10), bridge("x", "", 5, 10)), CO_TO)).contains("x");
    }

    @Test
    void aDrainingDeadOrFullBridgeTakesNoEndpoint() {
        var draining = new BridgeRegistry.Bridge("draining", bridge("draining", "QN25-CO-TO", 0, 100).heartbeat(), T, T, true, true);
        var dead = new BridgeRegistry.Bridge("dead", bridge("dead", "QN25-CO-TO", 0, 100).heartbeat(), T, T, false, false);
        var full = bridge("full", "QN25-CO-TO", 100, 100);
        assertThat(choose(List.of(draining, dead, full), CO_TO)).isEmpty();
        assertThat(choose(List.of(draining, dead, full, bridge("far", "HP-VP", 99, 100)), CO_TO)).contains("far");
    }
}
