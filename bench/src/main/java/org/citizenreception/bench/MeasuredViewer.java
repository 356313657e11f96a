package org.citizenreception.bench;

import org.citizenreception.client.Viewer;
import org.citizenreception.client.ViewerStats;

/** A viewer the load generator measures: the generator's own ({@link Viewer}) or a real libwebrtc one. */
interface MeasuredViewer extends AutoCloseable {
    String id();

    /** A consistent snapshot of its counters. */
    ViewerStats stats();

    /** Millis from connect start to: answered, ICE, DTLS start, DTLS done, SRTP ready; -1 where unknown. */
    long[] joinPhaseMillis();

    @Override
    void close();

    /** The generator's viewer, as a measured one. */
    static MeasuredViewer of(Viewer viewer) {
        return new MeasuredViewer() {
            @Override
            public String id() {
                return viewer.id();
            }

            @Override
            public ViewerStats stats() {
                return viewer.stats();
            }

            @Override
            public long[] joinPhaseMillis() {
                return viewer.joinPhaseMillis();
            }

            @Override
            public void close() {
                viewer.close();
            }
        };
    }
}
