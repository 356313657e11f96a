package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.control.testing.MutableClock;
import org.junit.jupiter.api.Test;

class BridgeRegistryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final BridgeRegistry registry = new BridgeRegistry(clock, Duration.ofSeconds(4));
    private final List<String> deaths = new ArrayList<>();

    BridgeRegistryTest() {
        registry.onDeath(b -> deaths.add(b.id()));
    }

    private static BridgeWire.Heartbeat beat(int endpoints) {
        return new BridgeWire.Heartbeat("http://127.0.0.1:1", "127.0.0.1:1", "", 100, endpoints, 0, 0);
    }

    @Test
    void theFirstHeartbeatRegistersAndLaterOnesRefreshTheLoad() {
        assertThat(registry.heartbeat("a", beat(0))).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(registry.heartbeat("a", beat(7))).isFalse();
        assertThat(registry.find("a").orElseThrow().heartbeat().endpoints()).isEqualTo(7);
        assertThat(registry.find("a").orElseThrow().registeredAt()).isEqualTo(Instant.parse("2026-12-03T08:00:00Z"));
    }

    @Test
    void aBridgeSilentPastTheDeadlineDiesOnceAndComesBackByRegisteringAgain() {
        registry.heartbeat("a", beat(3));
        clock.advance(Duration.ofSeconds(4));
        registry.checkLiveness();
        assertThat(deaths).as("4 s is not more than 4 s").isEmpty();
        clock.advance(Duration.ofMillis(1));
        registry.checkLiveness();
        registry.checkLiveness();
        assertThat(deaths).containsExactly("a");
        assertThat(registry.find("a").orElseThrow().alive()).isFalse();
        assertThat(registry.heartbeat("a", beat(0))).as("a dead bridge's heartbeat is a new registration").isTrue();
        assertThat(registry.find("a").orElseThrow().alive()).isTrue();
    }

    @Test
    void aDrainedBridgeStaysDrainedAcrossHeartbeatsAndAnUnknownOneCannotBeDrained() {
        registry.heartbeat("a", beat(0));
        assertThat(registry.drain("a").orElseThrow().draining()).isTrue();
        registry.heartbeat("a", beat(1));
        assertThat(registry.find("a").orElseThrow().draining()).isTrue();
        assertThat(registry.drain("nobody")).isEmpty();
    }

    @Test
    void aBridgeDeclaredDeadIsToldOnce() {
        registry.heartbeat("a", beat(0));
        registry.declareDead("a");
        registry.declareDead("a");
        clock.advance(Duration.ofSeconds(10));
        registry.checkLiveness();
        assertThat(deaths).containsExactly("a");
    }
}
