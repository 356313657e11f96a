package org.citizenreception.control.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.citizenreception.control.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each {@link Revocation} to whatever holds open connections (the events WebSocket, the
 * media endpoints), so that revoked access ends everywhere at once and not at the next request.
 * Inside a write transaction a revocation goes out after commit (a rolled-back sign-out revokes
 * nothing); delivery runs on the committing thread and must not block: listeners only close.
 * With several instances on one PostgreSQL, each revocation also goes to the others (see
 * {@code PostgresEventRelay}), so a sign-out or a session closed on one ends connections on all.
 */
public final class Revocations {
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final List<Consumer<Revocation>> listeners = new CopyOnWriteArrayList<>();
    private volatile Consumer<Revocation> relay = r -> { };

    public void addListener(Consumer<Revocation> listener) {
        listeners.add(listener);
    }

    /**
     * Where this instance's revocations go to reach the other control-api instances sharing a
     * PostgreSQL database (their sockets and endpoints close too); set once at start.
     */
    public void relayTo(Consumer<Revocation> relay) {
        this.relay = relay;
    }

    /** Delivers {@code r} after the current transaction commits, or now outside one; and to the other instances. */
    public void revoke(Revocation r) {
        if (Transactions.isWriting()) {
            Transactions.afterCommit(() -> deliverAndRelay(r));
        } else {
            deliverAndRelay(r);
        }
    }

    /** A revocation made on another instance: closes what it covers here, never relayed again. */
    public void deliverFromOtherInstance(Revocation r) {
        deliver(r);
    }

    private void deliverAndRelay(Revocation r) {
        deliver(r);
        relay.accept(r);
    }

    private void deliver(Revocation r) {
        for (Consumer<Revocation> l : listeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                log.warn("a revocation listener failed on {}", r.kind(), e);
            }
        }
    }
}
