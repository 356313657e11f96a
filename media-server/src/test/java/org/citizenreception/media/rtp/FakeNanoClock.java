package org.citizenreception.media.rtp;

import java.util.function.LongSupplier;

/** A settable monotonic clock so tests never sleep. */
public final class FakeNanoClock implements LongSupplier {
    private long nanos = 1_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    public void advanceMillis(long millis) {
        nanos += millis * 1_000_000L;
    }
}
