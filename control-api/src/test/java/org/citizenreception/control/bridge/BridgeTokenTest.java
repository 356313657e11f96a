package org.citizenreception.control.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BridgeTokenTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private final BridgeToken tokens = new BridgeToken("a-shared-secret-of-the-province");

    @Test
    void aTokenNamesItsBridgeForItsAudienceUntilItExpires() {
        String token = tokens.mint("bridge-a", BridgeToken.TO_CONTROL, NOW);
        assertThat(tokens.verify(token, BridgeToken.TO_CONTROL, NOW)).contains("bridge-a");
        assertThat(tokens.verify(token, BridgeToken.TO_CONTROL, NOW.plus(BridgeToken.LIFETIME).minusSeconds(1))).contains("bridge-a");
        assertThat(tokens.verify(token, BridgeToken.TO_CONTROL, NOW.plus(BridgeToken.LIFETIME))).isEmpty();
    }

    @Test
    void aTokenForABridgeCannotBeReplayedToControlApi() {
        String token = tokens.mint("bridge-a", BridgeToken.TO_BRIDGE, NOW);
        assertThat(tokens.verify(token, BridgeToken.TO_CONTROL, NOW)).isEmpty();
    }

    @Test
    void anotherSecretOrAnEditedTokenIsRefused() {
        String token = tokens.mint("bridge-a", BridgeToken.TO_CONTROL, NOW);
        assertThat(new BridgeToken("another-secret-entirely-xyz").verify(token, BridgeToken.TO_CONTROL, NOW)).isEmpty();
        assertThat(tokens.verify(token.replace("bridge-a", "bridge-b"), BridgeToken.TO_CONTROL, NOW)).isEmpty();
        String[] parts = token.split("\\.");
        String later = String.join(".", parts[0], parts[1], parts[2], String.valueOf(Long.parseLong(parts[3]) + 3600), parts[4]);
        assertThat(tokens.verify(later, BridgeToken.TO_CONTROL, NOW)).isEmpty();
        assertThat(tokens.verify("", BridgeToken.TO_CONTROL, NOW)).isEmpty();
        assertThat(tokens.verify(null, BridgeToken.TO_CONTROL, NOW)).isEmpty();
        assertThat(tokens.verify("crb1.bridge-a.control.notanumber.x", BridgeToken.TO_CONTROL, NOW)).isEmpty();
    }

    @Test
    void aTokenValidFarAheadWasNotMintedByUs() {
        String fromTheFuture = tokens.mint("bridge-a", BridgeToken.TO_CONTROL, NOW.plus(Duration.ofHours(1)));
        assertThat(tokens.verify(fromTheFuture, BridgeToken.TO_CONTROL, NOW)).isEmpty();
    }

    @Test
    void aShortSecretOrAnOddBridgeIdIsRefusedUpFront() {
        assertThatThrownBy(() -> new BridgeToken("short")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bridge.secret");
        assertThatThrownBy(() -> tokens.mint("bridge.a", BridgeToken.TO_CONTROL, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridgeId");
    }
}
