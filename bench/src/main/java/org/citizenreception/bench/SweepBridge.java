package org.citizenreception.bench;

import org.citizenreception.media.conference.CascadeUpstream;

/**
 * One media bridge of the cascade sweep, seen from the sweep's driver: either a
 * {@link org.citizenreception.media.MediaBridge} in the driver's JVM ({@link InProcessBridge}) or a
 * bridge process of its own ({@link ChildProcessBridge}, as in production). Each carries one
 * conference; signalling is by direct calls, media on loopback.
 */
interface SweepBridge extends AutoCloseable {
    /** The bridge's name in the report (root, leaf-a, province, ...). */
    String name();

    /** The SDP answer of the conference's main-slot publisher {@code endpointId}. */
    String publish(String endpointId, String sdpOffer);

    /** The SDP answer of viewer {@code endpointId}. */
    String subscribe(String endpointId, String sdpOffer);

    /** The upstream side of a cascade link (what {@link CascadeUpstream#open} asks). */
    CascadeUpstream.Answers acceptLink(String linkId, String downOffer, String upOffer);

    /**
     * Cascades this bridge's conference from {@code upstream}'s and returns once the link is
     * connected (ICE and DTLS on both transports).
     */
    void linkUpstream(String linkId, SweepBridge upstream);

    /** The bridge's counters now; differences of two samples cover a measurement window. */
    BridgeSample sample();

    @Override
    void close();
}
