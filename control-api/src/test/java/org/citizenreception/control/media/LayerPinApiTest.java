package org.citizenreception.control.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.media.conference.Endpoint;
import org.citizenreception.media.conference.Subscription;
import org.citizenreception.media.sdp.MediaKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room pins its simulcast layer (issue 17): the pin reaches the room's viewer on the bridge, holds
 * for a viewer the room opens later, is handed back with {@code auto}, and a bad value is refused
 * naming the field with nothing changed. Offers are real WebRTC offers that never connect: what is
 * checked is what the bridge was told.
 */
class LayerPinApiTest {
    static final String HOST_ROOM = "QN-VP";
    static final String ROOM = "QN25-BAI-CHAY";

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void aRoomsPinReachesItsViewersNowAndWhenItReconnectsAndAutoHandsItBack() {
        long session = t.scheduleOnlineSession("Ghim lớp hình", HOST_ROOM, List.of(ROOM));
        String room = t.joinToken(session, ROOM);
        String first = openViewer(session, room);
        assertThat(videoOf(session, first).pinnedLayer()).isEqualTo(-1);

        TestServer.Response pinned = t.json("PUT", layerPath(session), room, Map.of("layer", "low"));
        assertThat(pinned.status()).isEqualTo(200);
        assertThat(pinned.json().get("layer").asText()).isEqualTo("low");
        assertThat(videoOf(session, first).pinnedLayer()).isEqualTo(0);

        String second = openViewer(session, room);
        assertThat(videoOf(session, second).pinnedLayer()).as("a viewer the room opens later keeps the pin").isEqualTo(0);

        assertThat(t.json("PUT", layerPath(session), room, Map.of("layer", "auto")).status()).isEqualTo(200);
        assertThat(videoOf(session, second).pinnedLayer()).isEqualTo(-1);
        assertThat(videoOf(session, openViewer(session, room)).pinnedLayer()).as("and one opened after auto").isEqualTo(-1);
    }

    @Test
    void anUnknownLayerIsRefusedNamingTheFieldAndChangesNothing() {
        long session = t.scheduleOnlineSession("Ghim lớp sai", HOST_ROOM, List.of(ROOM));
        String room = t.joinToken(session, ROOM);
        String viewer = openViewer(session, room);
        TestServer.Response refused = t.json("PUT", layerPath(session), room, Map.of("layer", "sideways"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(refused.body()).contains("layer");
        assertThat(t.json("PUT", layerPath(session), room, Map.of()).status()).as("no layer at all").isEqualTo(422);
        assertThat(videoOf(session, viewer).pinnedLayer()).isEqualTo(-1);
    }

    private static String layerPath(long session) {
        return "/api/v1/sessions/" + session + "/rooms/" + ROOM + "/layer";
    }

    /** Opens a WHEP viewer with {@code token}; returns its endpoint id. */
    private static String openViewer(long session, String token) {
        TestServer.Response created = t.send("POST", "/whep/" + session, token, "application/sdp", WhipWhepRoleRows.offer(false));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static Subscription videoOf(long session, String endpointId) {
        Endpoint endpoint = t.server.mediaBridge().conference(SessionMedia.conferenceId(session)).orElseThrow()
                .endpoint(endpointId).orElseThrow();
        return endpoint.subscriptions().stream().filter(s -> s.slot().kind() == MediaKind.VIDEO).findFirst().orElseThrow();
    }
}
