package org.citizenreception.media;

import java.net.InetSocketAddress;
import org.citizenreception.media.stats.EndpointStats;

/**
 * What the bridge tells the embedding application (attendance, monitoring). Called on the
 * bridge's threads: implementations must return quickly and must not call back into the bridge
 * while holding their own locks.
 */
public interface MediaEventListener {
    /** DTLS completed: media can flow. {@code remote} is the address ICE selected. */
    default void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
    }

    /** The endpoint is gone: closed by the application, consent expired, DTLS failed or closed. Once per endpoint. */
    default void endpointDisconnected(String conferenceId, String endpointId, String reason) {
    }

    /**
     * A connected endpoint has sent nothing (no media, no RTCP, no consent check) for the configured
     * interruption time: its line has most likely dropped. Reported long before consent expires, so
     * attendance shows the gap; followed by {@link #endpointResumed} when traffic comes back, or by
     * {@link #endpointDisconnected} when the endpoint is closed first.
     */
    default void endpointInterrupted(String conferenceId, String endpointId, long silentMillis) {
    }

    /** An interrupted endpoint is heard from again (possibly from a new address after an ICE restart). */
    default void endpointResumed(String conferenceId, String endpointId, InetSocketAddress remote) {
    }

    /** Periodic traffic snapshot (every few seconds) of a connected endpoint. */
    default void endpointStats(String conferenceId, String endpointId, EndpointStats stats) {
    }

    /** The publishing endpoint whose audio is now loudest, or null when none speaks. */
    default void dominantSpeakerChanged(String conferenceId, String endpointId) {
    }
}
