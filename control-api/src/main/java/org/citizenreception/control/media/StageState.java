package org.citizenreception.control.media;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;

/**
 * Each live session's stage as room screens lay it out: the layout the host chose and who shares the
 * content slot now. Kept in memory, like the media it describes (a restarted server starts a session
 * with the default layout and nobody sharing). Every change goes to every screen as one
 * {@code stage.changed} event carrying the whole {@link View}, so a screen that missed one event is
 * right again at the next.
 */
public final class StageState {
    static final String EVENT = "stage.changed";
    static final StageLayout DEFAULT_LAYOUT = StageLayout.CONTENT_BESIDE_SPEAKER;

    /** Who shares: the host (its console, or the hosting room's token) or the room holding the floor. */
    public enum SharedBy { HOST, ROOM }

    /** The share on stage now; {@code roomCode} is null when the host shares. */
    public record Content(SharedBy sharedBy, String roomCode) {
    }

    /** What room screens need: the layout, and the share on stage (null when nobody shares). */
    public record View(long sessionId, StageLayout layout, Content content) {
    }

    private record Share(String endpointId, Content content) {
    }

    private final EventBus events;
    private final Map<Long, StageLayout> layouts = new ConcurrentHashMap<>();
    private final Map<Long, Share> shares = new ConcurrentHashMap<>();

    StageState(EventBus events) {
        this.events = events;
    }

    public View view(long sessionId) {
        Share share = shares.get(sessionId);
        return new View(sessionId, layouts.getOrDefault(sessionId, DEFAULT_LAYOUT), share == null ? null : share.content());
    }

    void layout(long sessionId, StageLayout layout) {
        if (layouts.put(sessionId, layout) != layout) {
            changed(sessionId);
        }
    }

    /** {@code endpointId} now fills the content slot; {@code room} is empty when the host shares. */
    void shareStarted(long sessionId, String endpointId, Optional<String> room) {
        Content content = room.map(r -> new Content(SharedBy.ROOM, r)).orElse(new Content(SharedBy.HOST, null));
        shares.put(sessionId, new Share(endpointId, content));
        changed(sessionId);
    }

    /** {@code endpointId} has left; the stage changes only if it was the share on stage (not one already replaced). */
    void shareEnded(long sessionId, String endpointId) {
        boolean[] removed = {false};
        shares.computeIfPresent(sessionId, (id, share) -> {
            if (share.endpointId().equals(endpointId)) {
                removed[0] = true;
                return null;
            }
            return share;
        });
        if (removed[0]) {
            changed(sessionId);
        }
    }

    /** The session is over: its stage goes with its media. */
    void forget(long sessionId) {
        layouts.remove(sessionId);
        shares.remove(sessionId);
    }

    private void changed(long sessionId) {
        events.publish(LiveEvent.everyone(sessionId, EVENT, view(sessionId)));
    }
}
