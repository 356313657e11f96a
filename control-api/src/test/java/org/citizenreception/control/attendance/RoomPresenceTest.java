package org.citizenreception.control.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.citizenreception.control.attendance.AttendanceEvent.Kind;
import org.junit.jupiter.api.Test;

class RoomPresenceTest {
    private static final Instant START = Instant.parse("2026-03-15T01:00:00Z");
    private static final Instant END = START.plus(Duration.ofHours(2));

    private static AttendanceEvent ev(String endpoint, Kind kind, int minute) {
        return new AttendanceEvent("R1", endpoint, kind, START.plus(Duration.ofMinutes(minute)), null);
    }

    @Test
    void overlappingEndpointsOfOneRoomAreCountedOnce() {
        RoomPresence p = RoomPresence.of(List.of(
                ev("a", Kind.CONNECT, 0), ev("b", Kind.CONNECT, 10), ev("a", Kind.DISCONNECT, 30), ev("b", Kind.DISCONNECT, 40)),
                START, END);
        assertThat(p.connected()).isEqualTo(Duration.ofMinutes(40));
        assertThat(p.spans()).hasSize(1);
    }

    @Test
    void aGapBetweenConnectionsIsNotCounted() {
        RoomPresence p = RoomPresence.of(List.of(
                ev("a", Kind.CONNECT, 0), ev("a", Kind.DISCONNECT, 10), ev("a", Kind.CONNECT, 20), ev("a", Kind.DISCONNECT, 25)),
                START, END);
        assertThat(p.connected()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.lastDisconnected()).isEqualTo(START.plus(Duration.ofMinutes(25)));
    }

    @Test
    void anEndpointStillConnectedCountsUntilTheEndAndTimeBeforeTheStartDoesNot() {
        RoomPresence p = RoomPresence.of(List.of(ev("a", Kind.CONNECT, -15)), START, END);
        assertThat(p.connected()).isEqualTo(Duration.ofHours(2));
        assertThat(p.firstConnected()).isEqualTo(START);
    }

    @Test
    void aRoomThatNeverConnectedHasNoSpans() {
        RoomPresence p = RoomPresence.of(List.of(ev("a", Kind.DISCONNECT, 5)), START, END);
        assertThat(p.everConnected()).isFalse();
        assertThat(p.connected()).isZero();
    }
}
