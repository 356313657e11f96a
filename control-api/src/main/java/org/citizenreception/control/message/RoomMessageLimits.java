package org.citizenreception.control.message;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.ThrottledException;
import org.citizenreception.control.limits.LimitRefusals;
import org.citizenreception.control.limits.LimitRefusals.Limit;
import org.citizenreception.control.limits.RateWindow;

/**
 * Caps the messages one room sends in one session, so a stuck client or a pressed-down button
 * cannot flood the host's and secretaries' consoles (each message is a live event on every staff
 * console and a line they must read). Staff replies are not capped: they come from the few
 * accounts running the session, each answering a room. A refusal is 429 with Retry-After and is
 * counted, not audited (a flood would flood the audit log too).
 */
public final class RoomMessageLimits {
    private final int perMinute;
    private final int burst;
    private final RateWindow window;
    private final LimitRefusals refusals;

    public RoomMessageLimits(int perMinute, int burst, Clock clock, LimitRefusals refusals) {
        this.perMinute = perMinute;
        this.burst = burst;
        this.window = new RateWindow(perMinute, burst, clock);
        this.refusals = refusals;
    }

    /** @throws ThrottledException 429 with Retry-After, naming the limit, when the room is over its rate in this session */
    void admit(long sessionId, String roomCode) {
        Optional<Duration> wait = window.tryAcquire(sessionId + "/" + roomCode);
        if (wait.isPresent()) {
            refusals.refused(Limit.ROOM_MESSAGES);
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw DomainErrors.tooManyRequests("room messages: at most " + perMinute + " a minute per room and session, " + burst
                    + " at once (limits.room-messages-per-minute, limits.room-message-burst); try again in " + seconds + " s", seconds);
        }
    }
}
