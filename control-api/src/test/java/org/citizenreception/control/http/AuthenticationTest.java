package org.citizenreception.control.http;

import org.citizenreception.control.identity.TokenResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
    static final Principal OPERATOR_A = new Principal(5, "op", Role.ROOM_OPERATOR, Optional.of("A"));
    static final Principal UNBOUND_OPERATOR = new Principal(6, "op2", Role.ROOM_OPERATOR, Optional.empty());
    static final Principal SECRETARY = new Principal(7, "sec", Role.SECRETARY, Optional.empty());

    @Test
    void aRoomOperatorActsForItsOwnRoomOnly() {
        assertThatCode(() -> Authentication.requireRoom(OPERATOR_A, "A")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Authentication.requireRoom(OPERATOR_A, "B"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> Authentication.requireRoom(UNBOUND_OPERATOR, "A"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void rolesNotBoundToARoomPassTheRoomCheck() {
        assertThatCode(() -> Authentication.requireRoom(SECRETARY, "B")).doesNotThrowAnyException();
    }

    @Test
    void theFirstResolverThatKnowsATokenWins() {
        TokenResolver users = token -> token.equals("u") ? Optional.of(SECRETARY) : Optional.empty();
        TokenResolver rooms = token -> token.startsWith("room-") ? Optional.of(OPERATOR_A) : Optional.empty();
        assertThat(Authentication.resolve(List.of(users, rooms), "u")).contains(SECRETARY);
        assertThat(Authentication.resolve(List.of(users, rooms), "room-1")).contains(OPERATOR_A);
        assertThat(Authentication.resolve(List.of(users, rooms), "other")).isEmpty();
    }
}
