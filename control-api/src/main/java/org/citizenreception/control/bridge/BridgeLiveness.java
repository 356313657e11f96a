package org.citizenreception.control.bridge;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the registry for bridges whose heartbeats stopped, twice a second: a dead bridge is then
 * found at most half a second after its deadline, which leaves the rooms most of their 10 s to
 * reconnect elsewhere.
 */
public final class BridgeLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeLiveness.class);
    static final long CHECK_EVERY_MILLIS = 500;

    private final ScheduledExecutorService timer;

    private BridgeLiveness(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static BridgeLiveness start(BridgeRegistry registry) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bridge-liveness");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                registry.checkLiveness();
            } catch (RuntimeException e) {
                log.error("bridge liveness check failed", e);
            }
        }, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return new BridgeLiveness(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
