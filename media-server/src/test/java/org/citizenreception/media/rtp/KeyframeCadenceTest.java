package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyframeCadenceTest {
    private static final long MS = 1_000_000L;

    @Test
    void anEncoderKeyframeEveryTwoSecondsIsExpectedTwoSecondsAfterTheLastOne() {
        KeyframeCadence cadence = new KeyframeCadence();
        cadence.onKeyframe(0);
        cadence.onKeyframe(2000 * MS);

        assertThat(cadence.intervalNanos()).isEqualTo(2000 * MS);
        assertThat(cadence.ownKeyframeDueWithin(3000 * MS, 1000 * MS)).as("due at 4000, asked at 3000 for 1 s").isTrue();
        assertThat(cadence.ownKeyframeDueWithin(3000 * MS, 500 * MS)).as("not within 500 ms").isFalse();
        assertThat(cadence.ownKeyframeDueWithin(4050 * MS, 250 * MS)).as("a frame late is still coming").isTrue();
        assertThat(cadence.ownKeyframeDueWithin(4200 * MS, 250 * MS)).as("overdue: the guess is off, ask").isFalse();
    }

    @Test
    void aKeyframeThatAnsweredTheBridgesRequestTeachesNoInterval() {
        KeyframeCadence cadence = new KeyframeCadence();
        cadence.onKeyframe(0);
        cadence.onRequestSent(300 * MS);
        cadence.onKeyframe(350 * MS);

        assertThat(cadence.intervalNanos()).isZero();
        assertThat(cadence.ownKeyframeDueWithin(400 * MS, 10_000 * MS)).isFalse();

        // the encoder restarts its interval at the requested keyframe: the next own one times from it
        cadence.onKeyframe(2350 * MS);
        assertThat(cadence.intervalNanos()).isEqualTo(2000 * MS);
        assertThat(cadence.ownKeyframeDueWithin(4200 * MS, 250 * MS)).isTrue();
    }

    @Test
    void aPublisherThatSendsKeyframesOnlyWhenAskedHasNoneDue() {
        KeyframeCadence cadence = new KeyframeCadence();
        cadence.onKeyframe(0);
        cadence.onKeyframe(30_000 * MS);

        assertThat(cadence.intervalNanos()).as("longer than worth waiting for").isZero();
        assertThat(cadence.ownKeyframeDueWithin(31_000 * MS, 1000 * MS)).isFalse();
    }
}
