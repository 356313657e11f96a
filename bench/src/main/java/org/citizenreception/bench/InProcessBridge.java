package org.citizenreception.bench;

import org.citizenreception.media.conference.CascadeUpstream;

/**
 * A sweep bridge in the driver's JVM: the generator and the other bridges share its process, so
 * only its event loop thread's CPU time is its own (no process CPU figure).
 */
final class InProcessBridge implements SweepBridge {
    private final String name;
    private final MeasuredMediaBridge bridge = new MeasuredMediaBridge();

    InProcessBridge(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String publish(String endpointId, String sdpOffer) {
        return bridge.publish(endpointId, sdpOffer);
    }

    @Override
    public String subscribe(String endpointId, String sdpOffer) {
        return bridge.subscribe(endpointId, sdpOffer);
    }

    @Override
    public CascadeUpstream.Answers acceptLink(String linkId, String downOffer, String upOffer) {
        return bridge.acceptLink(linkId, downOffer, upOffer);
    }

    @Override
    public void linkUpstream(String linkId, SweepBridge upstream) {
        try {
            bridge.linkUpstream(linkId, new CascadeUpstream() {
                @Override
                public Answers open(String id, String downOffer, String upOffer) {
                    return upstream.acceptLink(id, downOffer, upOffer);
                }

                @Override
                public void close(String id) {
                    // the sweep closes whole bridges, never one link
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the link connected", e);
        }
    }

    @Override
    public BridgeSample sample() {
        return bridge.sample(false);
    }

    @Override
    public void close() {
        bridge.close();
    }
}
