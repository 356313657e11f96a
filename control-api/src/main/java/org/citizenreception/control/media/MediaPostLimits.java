package org.citizenreception.control.media;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.limits.LimitRefusals;
import org.citizenreception.control.limits.LimitRefusals.Limit;
import org.citizenreception.control.limits.RateWindow;

/**
 * Caps WHIP/WHEP offers per client address and per session. Each offer costs an SDP parse, an
 * endpoint with its ICE and DTLS state and, once connected, a DTLS handshake on the bridge's
 * small pool: a client posting in a loop (a bug, or on purpose) must not crowd out the rooms.
 * Checked before the offer is read into an endpoint; a refusal is 429 with Retry-After.
 */
public final class MediaPostLimits {
    private final RateWindow perAddress;
    private final RateWindow perSession;
    private final LimitRefusals refusals;

    public MediaPostLimits(int perMinutePerAddress, int perMinutePerSession, Clock clock, LimitRefusals refusals) {
        this.perAddress = new RateWindow(perMinutePerAddress, clock);
        this.perSession = new RateWindow(perMinutePerSession, clock);
        this.refusals = refusals;
    }

    /** Effectively unlimited, for embeddings that set no limits (tests of other concerns). */
    public static MediaPostLimits unlimited(Clock clock) {
        return new MediaPostLimits(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2, clock, LimitRefusals.unregistered());
    }

    /** @throws ApiException 429 with Retry-After when the address or the session is over its rate */
    void admit(String address, long sessionId) {
        Optional<Duration> wait = perAddress.tryAcquire(address);
        if (wait.isPresent()) {
            refusals.refused(Limit.MEDIA_POSTS_PER_ADDRESS);
            throw ApiException.tooManyRequests("Too many WHIP/WHEP offers from this address; try again in "
                    + seconds(wait.get()) + " s", seconds(wait.get()));
        }
        wait = perSession.tryAcquire(Long.toString(sessionId));
        if (wait.isPresent()) {
            refusals.refused(Limit.MEDIA_POSTS_PER_SESSION);
            throw ApiException.tooManyRequests("Too many WHIP/WHEP offers for session " + sessionId + "; try again in "
                    + seconds(wait.get()) + " s", seconds(wait.get()));
        }
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
