package org.citizenreception.media.dtls;

/** Where one server handshake's time went; called once per completed handshake, on its thread. */
public interface HandshakeObserver {
    HandshakeObserver NONE = (coreWaitNanos, computingNanos) -> { };

    /**
     * @param coreWaitNanos  from the peer's first record until the handshake got a core, plus every
     *                       later wait for one after a peer's flight arrived: the queue
     * @param computingNanos holding a core: bctls's own work for this handshake (wall time, so it
     *                       includes being preempted by the event loop)
     */
    void handshakeCompleted(long coreWaitNanos, long computingNanos);
}
