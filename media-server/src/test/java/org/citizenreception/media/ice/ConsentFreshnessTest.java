package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.citizenreception.media.rtp.FakeNanoClock;
import org.junit.jupiter.api.Test;

/** RFC 7675 consent judged on the bridge tick's one clock reading. */
class ConsentFreshnessTest {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void consentExpiresOnlyAfterTheTimeoutPassesWithoutARefresh() {
        FakeNanoClock clock = new FakeNanoClock();
        ConsentFreshness consent = new ConsentFreshness(clock, TIMEOUT_NANOS);

        clock.advanceMillis(30_000);
        assertThat(consent.expired(clock.getAsLong())).as("exactly at the timeout").isFalse();
        clock.advanceMillis(1);
        assertThat(consent.expired(clock.getAsLong())).isTrue();
        assertThat(consent.silentNanos(clock.getAsLong())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(30_001));
    }

    @Test
    void aRefreshRestartsTheSilence() {
        FakeNanoClock clock = new FakeNanoClock();
        ConsentFreshness consent = new ConsentFreshness(clock, TIMEOUT_NANOS);

        clock.advanceMillis(25_000);
        consent.refresh();
        clock.advanceMillis(25_000);
        assertThat(consent.expired(clock.getAsLong())).isFalse();
        assertThat(consent.silentNanos(clock.getAsLong())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(25_000));
    }

    @Test
    void theTicksReadingDecidesNotALaterReadOfTheClock() {
        FakeNanoClock clock = new FakeNanoClock();
        ConsentFreshness consent = new ConsentFreshness(clock, TIMEOUT_NANOS);
        long tickReading = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(29_000);

        clock.advanceMillis(40_000); // the clock moved on while the tick walked other endpoints
        assertThat(consent.expired(tickReading)).isFalse();
    }
}
