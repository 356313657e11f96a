package org.citizenreception.control.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts every request a limit refused, as {@code reception_limit_refusals_total{limit="..."}}: one
 * counter per {@link Limit}, a closed set so the tag stays bounded (never an address or a user).
 * Held here rather than registered by each user of a limit, so a Prometheus scrape shows every
 * limit from the start, at zero.
 */
public final class LimitRefusals {
    /** The limits that refuse requests; the tag value is the lower-case name with dashes. */
    public enum Limit {
        /** Sign-in attempts past the throttle's allowance (429). */
        LOGIN_THROTTLE,
        /** Sign-ins while every password check slot is busy (503). */
        PASSWORD_CHECKS,
        /** WHIP/WHEP offers over one address's rate (429). */
        MEDIA_POSTS_PER_ADDRESS,
        /** WHIP/WHEP offers over one session's rate (429). */
        MEDIA_POSTS_PER_SESSION,
        /** A viewer endpoint ended because the same room or account opened a newer one. */
        ENDPOINT_REPLACED,
        /** Live-event sockets over one principal's allowance (close 4429). */
        EVENT_SOCKETS_PER_PRINCIPAL,
        /** Live-event sockets closed because they stopped reading (close 1008). */
        EVENT_QUEUE_FULL,
        /** HTTP requests whose body arrived slower than the minimum rate, or went silent (408 / closed). */
        HTTP_SLOW_REQUEST,
        /** Room messages over one room's rate in one session (429). */
        ROOM_MESSAGES;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Limit, Counter> counters = new EnumMap<>(Limit.class);
    private final MeterRegistry registry;

    public LimitRefusals(MeterRegistry registry) {
        this.registry = registry;
        for (Limit limit : Limit.values()) {
            counters.put(limit, Counter.builder("reception_limit_refusals")
                    .description("requests, connections or endpoints refused or ended by a limit")
                    .tag("limit", limit.tag()).register(registry));
        }
    }

    /** A registry of its own: for tests and tools that build one part without the server. */
    public static LimitRefusals unregistered() {
        return new LimitRefusals(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** Where the limits' own gauges (queue sizes) go, next to the refusals. */
    public MeterRegistry registry() {
        return registry;
    }

    public void refused(Limit limit) {
        counters.get(limit).increment();
    }

    public double count(Limit limit) {
        return counters.get(limit).count();
    }
}
