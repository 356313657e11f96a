package org.citizenreception.control.events;

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
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final Map<Long, Set<Consumer<LiveEvent>>> subscribers = new ConcurrentHashMap<>();

    /** Subscribes to one session's events; closing the handle unsubscribes (idempotent). */
    public AutoCloseable subscribe(long sessionId, Consumer<LiveEvent> subscriber) {
        subscribers.computeIfAbsent(sessionId, id -> new CopyOnWriteArraySet<>()).add(subscriber);
        return () -> {
            Set<Consumer<LiveEvent>> set = subscribers.get(sessionId);
            if (set != null) {
                set.remove(subscriber);
            }
        };
    }

    public void publish(LiveEvent event) {
        Set<Consumer<LiveEvent>> set = subscribers.get(event.sessionId());
        if (set == null) {
            return;
        }
        for (Consumer<LiveEvent> s : set) {
            try {
                s.accept(event);
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
        Set<Consumer<LiveEvent>> set = subscribers.get(sessionId);
        return set == null ? 0 : set.size();
    }
}
