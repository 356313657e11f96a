package org.citizenreception.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.stats.TimedWorkMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's periodic work: two timers for every endpoint, running only while a conference
 * exists, their cost on /metrics.
 */
class BridgeTimersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")), registry);

    @AfterEach
    void close() {
        bridge.close();
    }

    @Test
    void anIdleBridgeSchedulesNoTimerAndTheLastConferenceClosingStopsThem() {
        assertThat(bridge.isTicking()).as("no conference yet").isFalse();

        Conference first = bridge.createConference("first");
        Conference second = bridge.createConference("second");
        assertThat(bridge.isTicking()).isTrue();
        TimedWorkMeter fastTick = bridge.metrics().timedWork("fast_tick");
        long runsBefore = fastTick.runs();
        awaitTrue(() -> fastTick.runs() >= runsBefore + 3, "three fast ticks");

        first.close();
        assertThat(bridge.isTicking()).as("a conference is still open").isTrue();
        second.close();
        assertThat(bridge.isTicking()).as("the last conference closed").isFalse();

        bridge.createConference("third");
        assertThat(bridge.isTicking()).as("a new conference starts them again").isTrue();
        long runsAfterRestart = fastTick.runs();
        awaitTrue(() -> fastTick.runs() > runsAfterRestart, "a fast tick after the restart");
    }

    @Test
    void closingTheBridgeStopsTheTimersForGoodEvenWithConferencesOpen() {
        bridge.createConference("open");
        bridge.close();
        assertThat(bridge.isTicking()).isFalse();
    }

    @Test
    void eachTimersRunsAndTimeAreOnTheMetrics() {
        bridge.createConference("measured");
        TimedWorkMeter tick = bridge.metrics().timedWork("tick");
        awaitTrue(() -> tick.runs() >= 1, "a one-second tick");

        FunctionCounter runs = registry.get("reception_media_timed_runs").tag("task", "tick").functionCounter();
        FunctionCounter seconds = registry.get("reception_media_timed_cpu_seconds").tag("task", "tick").functionCounter();
        assertThat(runs.count()).isGreaterThanOrEqualTo(1);
        assertThat(seconds.count()).isPositive();
        assertThat(registry.get("reception_media_timed_runs").tag("task", "fast_tick").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for " + what).isLessThan(deadline);
            try {
                TimeUnit.MILLISECONDS.sleep(20); // polling a condition, not synchronising on time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
