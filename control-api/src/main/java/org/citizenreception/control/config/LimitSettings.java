package org.citizenreception.control.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import org.citizenreception.media.RetransmissionLimits;

/**
 * What one client may take of the server before it is refused (the {@code limits.*} keys): each
 * bound keeps one misbehaving or hostile client from starving everyone else. Every refusal is
 * counted in {@code reception_limit_refusals_total{limit=...}} (media: {@code reception_media_retransmissions_refused}).
 *
 * @param retransmissions          what one viewer's NACKs may make the bridge resend
 * @param mediaPostsPerMinutePerAddress WHIP/WHEP offers one client address may post per minute
 * @param mediaPostsPerMinutePerSession WHIP/WHEP offers one session may receive per minute, all addresses
 * @param httpIdleTimeout          a connection that sends nothing this long (mid-request included) is closed
 * @param httpMinRequestBytesPerSecond a request body arriving slower than this is cut off (408)
 * @param httpMaxConnections       open HTTP(S) connections beyond which new ones wait in the kernel backlog
 * @param concurrentPasswordChecks password hashes computed at once; more sign-ins get 503 at once
 * @param eventSocketsPerPrincipal live-event WebSockets one account or room token may hold at once
 * @param eventQueueMessages       events queued for one WebSocket that does not read before it is closed
 * @param roomMessagesPerMinute    messages one room may send the session's staff per minute, in one session
 * @param roomMessageBurst         of those, how many at once
 */
public record LimitSettings(RetransmissionLimits retransmissions, int mediaPostsPerMinutePerAddress,
                            int mediaPostsPerMinutePerSession, Duration httpIdleTimeout, long httpMinRequestBytesPerSecond,
                            int httpMaxConnections, int concurrentPasswordChecks, int eventSocketsPerPrincipal,
                            int eventQueueMessages, int roomMessagesPerMinute, int roomMessageBurst) {

    /** The built-in defaults (reception-defaults.conf holds the same values, documented). */
    public static final LimitSettings DEFAULT = new LimitSettings(RetransmissionLimits.DEFAULT, 120, 1200,
            Duration.ofSeconds(30), 100, 2000, 2, 4, 256, 10, 5);

    static LimitSettings from(Config c) {
        return new LimitSettings(
                new RetransmissionLimits(positive(c, "limits.retransmission-max-bitrate-bps"),
                        Duration.ofMillis(positive(c, "limits.retransmission-burst-millis")),
                        Duration.ofMillis(positive(c, "limits.retransmission-resend-interval-millis"))),
                (int) positive(c, "limits.media-posts-per-minute-per-address"),
                (int) positive(c, "limits.media-posts-per-minute-per-session"),
                Duration.ofSeconds(positive(c, "limits.http-idle-timeout-seconds")),
                positive(c, "limits.http-min-request-bytes-per-second"),
                (int) positive(c, "limits.http-max-connections"),
                (int) positive(c, "limits.concurrent-password-checks"),
                (int) positive(c, "limits.event-sockets-per-principal"),
                (int) positive(c, "limits.event-queue-messages"),
                (int) positive(c, "limits.room-messages-per-minute"),
                (int) positive(c, "limits.room-message-burst"));
    }

    private static long positive(Config c, String key) {
        long value;
        try {
            value = c.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), "a whole number");
        }
        if (value <= 0 || value > Integer.MAX_VALUE && !key.endsWith("-bps")) {
            throw new ConfigProblem(key, value, "a positive whole number");
        }
        return value;
    }
}
