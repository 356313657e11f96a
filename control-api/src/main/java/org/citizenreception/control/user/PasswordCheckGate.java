package org.citizenreception.control.user;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.limits.LimitRefusals;
import org.citizenreception.control.limits.LimitRefusals.Limit;

/**
 * Bounds the password checks (Argon2id: 19 MiB and about a tenth of a second of a core each) that
 * run at once. Without it a burst of sign-ins, honest at the start of a reception day or not,
 * queues CPU work behind which every other request waits; with it the excess is told at once to
 * come back (503, Retry-After: 1) and the server keeps answering. A caller waits at most
 * {@link #WAIT_MILLIS} for a slot, enough to smooth a few sign-ins arriving together.
 */
public final class PasswordCheckGate {
    static final long WAIT_MILLIS = 250;

    private final Semaphore slots;
    private final LimitRefusals refusals;

    public PasswordCheckGate(int concurrentChecks, LimitRefusals refusals) {
        if (concurrentChecks <= 0) {
            throw new IllegalArgumentException("concurrentChecks must be positive: " + concurrentChecks);
        }
        this.slots = new Semaphore(concurrentChecks);
        this.refusals = refusals;
    }

    /** As many checks at once as there are cores: nothing is gained by more. */
    public static PasswordCheckGate perCore(LimitRefusals refusals) {
        return new PasswordCheckGate(Runtime.getRuntime().availableProcessors(), refusals);
    }

    /**
     * Runs {@code check} in a free slot.
     *
     * @throws ApiException 503 with Retry-After when no slot frees within {@link #WAIT_MILLIS}
     */
    public <T> T run(Supplier<T> check) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            refusals.refused(Limit.PASSWORD_CHECKS);
            throw ApiException.unavailable("The server is checking other sign-ins; try again in a second", 1);
        }
        try {
            return check.get();
        } finally {
            slots.release();
        }
    }
}
