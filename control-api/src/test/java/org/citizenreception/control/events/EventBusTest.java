package org.citizenreception.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.Test;

class EventBusTest {
    static final Principal SECRETARY = new Principal(2, "sec", Role.SECRETARY, Optional.empty());
    static final Principal ROOM_A = new Principal(3, "op.a", Role.ROOM_OPERATOR, Optional.of("A"));
    static final Principal ROOM_B = new Principal(4, "op.b", Role.ROOM_OPERATOR, Optional.of("B"));

    @Test
    void anEventReachesOnlyTheSubscribersOfItsSessionUntilTheyUnsubscribe() throws Exception {
        EventBus bus = new EventBus();
        List<String> one = new ArrayList<>();
        List<String> two = new ArrayList<>();
        AutoCloseable handle = bus.subscribe(1, e -> one.add(e.type()));
        bus.subscribe(2, e -> two.add(e.type()));
        bus.publish(LiveEvent.everyone(1, "a", "x"));
        handle.close();
        handle.close();
        bus.publish(LiveEvent.everyone(1, "b", "x"));
        assertThat(one).containsExactly("a");
        assertThat(two).isEmpty();
        assertThat(bus.subscriberCount(1)).isZero();
    }

    @Test
    void aFailingSubscriberDoesNotStopTheOthers() {
        EventBus bus = new EventBus();
        List<String> got = new ArrayList<>();
        bus.subscribe(1, e -> {
            throw new IllegalStateException("broken socket");
        });
        bus.subscribe(1, e -> got.add(e.type()));
        bus.publish(LiveEvent.everyone(1, "a", "x"));
        assertThat(got).containsExactly("a");
    }

    @Test
    void staffRoomsAndOtherRoomsSeeTheFormMeantForThem() {
        LiveEvent petition = new LiveEvent(1, "petition.registered", "full", "masked", "A");
        assertThat(petition.viewFor(SECRETARY)).contains("full");
        assertThat(petition.viewFor(ROOM_A)).contains("masked");
        assertThat(petition.viewFor(ROOM_B)).isEmpty();
        LiveEvent note = LiveEvent.staffOnly(1, "petition.annotated", "note");
        assertThat(note.viewFor(SECRETARY)).contains("note");
        assertThat(note.viewFor(ROOM_A)).isEmpty();
    }
}
