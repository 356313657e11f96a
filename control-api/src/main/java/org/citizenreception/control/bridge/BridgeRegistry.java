package org.citizenreception.control.bridge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The media bridges that have registered, with their last heartbeat: alive while heartbeats keep
 * coming (one every 2 s; {@code deadAfter} without one and the bridge is dead), draining once an
 * administrator said so. {@link #checkLiveness} (called twice a second) tells the listeners of each
 * bridge that has just died, once.
 *
 * <p>Kept in memory, not in a table: liveness is a judgement of the heartbeat stream this instance
 * receives, and what a dead bridge carried (its endpoints) lives in this instance's memory too. A
 * control-api restart loses nothing that matters: every bridge registers again within 2 s. (Several
 * control-api instances sharing bridges would need the registry in PostgreSQL; see the README.)
 */
public final class BridgeRegistry {
    /** One registered bridge as it last reported, and control-api's view of it. */
    public record Bridge(String id, BridgeWire.Heartbeat heartbeat, Instant registeredAt, Instant lastHeartbeatAt,
                         boolean draining, boolean alive) {
        /** Endpoints over capacity: what placement fills lowest first. */
        public double load() {
            return heartbeat.capacity() <= 0 ? 1.0 : (double) heartbeat.endpoints() / heartbeat.capacity();
        }
    }

    private final Clock clock;
    private final Duration deadAfter;
    private final Map<String, Bridge> bridges = new ConcurrentHashMap<>();
    private final List<Consumer<Bridge>> deathListeners = new CopyOnWriteArrayList<>();

    public BridgeRegistry(Clock clock, Duration deadAfter) {
        this.clock = clock;
        this.deadAfter = deadAfter;
    }

    /** Called with each bridge that has just been found dead (on the liveness checker's thread). */
    public void onDeath(Consumer<Bridge> listener) {
        deathListeners.add(listener);
    }

    /**
     * A heartbeat: registers the bridge, or refreshes it. A bridge that was dead comes back alive
     * (its old endpoints are gone: they were moved when it died). True when this is a (re)registration.
     */
    public boolean heartbeat(String id, BridgeWire.Heartbeat heartbeat) {
        Instant now = clock.instant();
        boolean[] registered = new boolean[1];
        bridges.compute(id, (key, old) -> {
            registered[0] = old == null || !old.alive();
            return new Bridge(id, heartbeat, registered[0] ? now : old.registeredAt(), now, old != null && old.draining(), true);
        });
        return registered[0];
    }

    /** Whether a heartbeat from {@code id} now would be a (re)registration: unknown, or known dead. */
    public boolean wouldRegister(String id) {
        Bridge b = bridges.get(id);
        return b == null || !b.alive();
    }

    /** An administrator's drain: no new conferences go to the bridge. Empty when the id is unknown. */
    public Optional<Bridge> drain(String id) {
        return Optional.ofNullable(bridges.computeIfPresent(id, (key, old) -> new Bridge(id, old.heartbeat(), old.registeredAt(),
                old.lastHeartbeatAt(), true, old.alive())));
    }

    public Optional<Bridge> find(String id) {
        return Optional.ofNullable(bridges.get(id));
    }

    /** Every bridge, alive or dead, by id. */
    public List<Bridge> all() {
        return bridges.values().stream().sorted(Comparator.comparing(Bridge::id)).toList();
    }

    /**
     * A bridge whose API refused a connection is dead now, heartbeat or not: its process is gone, and
     * waiting for the heartbeat deadline would only keep its rooms waiting.
     */
    public void declareDead(String id) {
        Bridge b = bridges.get(id);
        if (b != null && b.alive()) {
            Bridge dead = new Bridge(b.id(), b.heartbeat(), b.registeredAt(), b.lastHeartbeatAt(), b.draining(), false);
            if (bridges.replace(b.id(), b, dead)) {
                deathListeners.forEach(l -> l.accept(dead));
            }
        }
    }

    /** Marks bridges silent for longer than {@code deadAfter} dead and tells the listeners, once per death. */
    public void checkLiveness() {
        Instant now = clock.instant();
        for (Bridge b : bridges.values()) {
            if (b.alive() && Duration.between(b.lastHeartbeatAt(), now).compareTo(deadAfter) > 0) {
                Bridge dead = new Bridge(b.id(), b.heartbeat(), b.registeredAt(), b.lastHeartbeatAt(), b.draining(), false);
                if (bridges.replace(b.id(), b, dead)) {
                    deathListeners.forEach(l -> l.accept(dead));
                }
            }
        }
    }
}
