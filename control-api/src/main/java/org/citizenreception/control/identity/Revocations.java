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
 */
public final class Revocations {
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);

    private final List<Consumer<Revocation>> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Consumer<Revocation> listener) {
        listeners.add(listener);
    }

    /** Delivers {@code r} after the current transaction commits, or now outside one. */
    public void revoke(Revocation r) {
        if (Transactions.isWriting()) {
            Transactions.afterCommit(() -> deliver(r));
        } else {
            deliver(r);
        }
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
