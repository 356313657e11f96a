package org.citizenreception.control.events;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.citizenreception.control.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of live events to the subscribers of one session. Services call {@link #publishAfterCommit}
 * inside their transaction so that nobody hears of a change that was rolled back.
 *
 * <p>Copy-on-write sets because a session has a few hundred subscribers that rarely change and
 * events are delivered far more often than consoles connect. Delivery runs on the publishing
 * thread and must not block: subscribers hand off to their socket's own queue.
 *
 * <p>Several control-api instances on one PostgreSQL: every event published here is also handed to
 * the {@linkplain #relayTo relay} (which must not block either), and the events other instances
 * published come back through {@link #deliverFromOtherInstance}. Those reach only the subscribers
 * that asked for them ({@link #subscribeIncludingOtherInstances}: the consoles' sockets). The
 * services that act on events (a recording's chapters, a conference's teardown) keep hearing only
 * their own instance's events, with the Java views they expect, and never act twice on one change.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private record Subscriber(Consumer<LiveEvent> consumer, boolean hearsOtherInstances) {
    }

    private final Map<Long, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile Consumer<LiveEvent> relay = event -> { };

    /** Subscribes to the events this instance publishes for one session; closing the handle unsubscribes (idempotent). */
    public AutoCloseable subscribe(long sessionId, Consumer<LiveEvent> subscriber) {
        return add(sessionId, new Subscriber(subscriber, false));
    }

    /**
     * As {@link #subscribe}, and also to the session's events published on other instances sharing
     * the database; their views arrive as JSON trees (what the socket would have written) and
     * {@link #RESYNC} says that some may have been lost.
     */
    public AutoCloseable subscribeIncludingOtherInstances(long sessionId, Consumer<LiveEvent> subscriber) {
        return add(sessionId, new Subscriber(subscriber, true));
    }

    private AutoCloseable add(long sessionId, Subscriber subscriber) {
        subscribers.computeIfAbsent(sessionId, id -> new CopyOnWriteArraySet<>()).add(subscriber);
        return () -> {
            Set<Subscriber> set = subscribers.get(sessionId);
            if (set != null) {
                set.remove(subscriber);
            }
        };
    }

    /** The type of the event that tells consoles to load the session's state again: events may have been missed. */
    public static final String RESYNC = "resync";

    /** Where this instance's events go to reach the other instances; set once at start (PostgreSQL only). */
    public void relayTo(Consumer<LiveEvent> relay) {
        this.relay = relay;
    }

    public void publish(LiveEvent event) {
        deliver(event, false);
        relay.accept(event);
    }

    /** An event another instance published: to this instance's sockets of its session, never relayed again. */
    public void deliverFromOtherInstance(LiveEvent event) {
        deliver(event, true);
    }

    /** Tells every socket of every session here to load its state again (the events of other instances may have been missed). */
    public void resyncAll(String reason) {
        for (Long sessionId : List.copyOf(subscribers.keySet())) {
            deliverFromOtherInstance(LiveEvent.everyone(sessionId, RESYNC, Map.of("reason", reason)));
        }
    }

    private void deliver(LiveEvent event, boolean onlyWhoHearsOtherInstances) {
        Set<Subscriber> set = subscribers.get(event.sessionId());
        if (set == null) {
            return;
        }
        for (Subscriber s : set) {
            if (onlyWhoHearsOtherInstances && !s.hearsOtherInstances()) {
                continue;
            }
            try {
                s.consumer().accept(event);
            } catch (RuntimeException e) {
                log.warn("session {}: a subscriber failed on {}", event.sessionId(), event.type(), e);
            }
        }
    }

    /** Publishes once the current write transaction commits; never if it rolls back. */
    public void publishAfterCommit(LiveEvent event) {
        Transactions.afterCommit(() -> publish(event));
    }

    public int subscriberCount(long sessionId) {
        Set<Subscriber> set = subscribers.get(sessionId);
        return set == null ? 0 : set.size();
    }
}
