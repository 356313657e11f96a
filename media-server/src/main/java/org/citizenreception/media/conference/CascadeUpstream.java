package org.citizenreception.media.conference;

/**
 * How a downstream bridge reaches the conference it cascades from: the signalling of one link,
 * the only thing that does not ride the link itself. In one process it is a call on the upstream
 * {@link Conference} ({@link #inProcess}); between processes the bridge's HTTP API carries the
 * same two calls (one route: POST to open with both offers, DELETE to close).
 */
public interface CascadeUpstream {
    /** The upstream bridge's answers to the link's two offers. */
    record Answers(String down, String up) {
    }

    /**
     * Opens link {@code linkId}: {@code downOffer} subscribes to every stage slot (it is served
     * like a viewer's), {@code upOffer} publishes what the downstream bridge's guest slot carries
     * when one of its rooms has the floor (served like a publisher's, placed in no slot until the
     * upstream conference gives it the floor).
     */
    Answers open(String linkId, String downOffer, String upOffer);

    /** Closes both of the link's endpoints upstream; idempotent. */
    void close(String linkId);

    /** The upstream conference in this process (tests; a bridge hosting both ends). */
    static CascadeUpstream inProcess(Conference upstream) {
        return new CascadeUpstream() {
            @Override
            public Answers open(String linkId, String downOffer, String upOffer) {
                return upstream.acceptLink(linkId, downOffer, upOffer);
            }

            @Override
            public void close(String linkId) {
                upstream.closeLink(linkId);
            }
        };
    }
}
