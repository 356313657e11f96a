package org.citizenreception.media.ice;

import java.util.function.LongSupplier;

/**
 * RFC 7675 consent on the receiving side: the peer proves it still wants our media by sending
 * authenticated binding requests (browsers do every ~5 s). When none has come for the timeout
 * (30 s by the RFC), consent is lost and the endpoint must stop sending. The clock is injected so
 * tests do not sleep for 30 s; the checks take the bridge tick's own reading of it, so a tick over
 * many endpoints reads the clock once, not twice per endpoint.
 */
public final class ConsentFreshness {
    private final LongSupplier nanoClock;
    private final long timeoutNanos;
    private volatile long lastRefreshNanos;

    public ConsentFreshness(LongSupplier nanoClock, long timeoutNanos) {
        this.nanoClock = nanoClock;
        this.timeoutNanos = timeoutNanos;
        this.lastRefreshNanos = nanoClock.getAsLong();
    }

    public void refresh() {
        lastRefreshNanos = nanoClock.getAsLong();
    }

    /** @param nowNanos a reading of this object's clock */
    public boolean expired(long nowNanos) {
        return silentNanos(nowNanos) > timeoutNanos;
    }

    /** @param nowNanos a reading of this object's clock */
    public long silentNanos(long nowNanos) {
        return nowNanos - lastRefreshNanos;
    }
}
