package org.citizenreception.media.pipeline;

import org.citizenreception.media.stats.DropReason;

/**
 * What a {@link PacketStage} did with a packet. Every value is a constant made once (one per drop
 * reason), so returning a verdict allocates nothing per packet.
 */
public final class Verdict {
    /** The packet goes on to the next stage, which owns it then. */
    public static final Verdict CONTINUE = new Verdict(null);
    /** The stage took the packet: it passed it on elsewhere or released it itself. */
    public static final Verdict CONSUMED = new Verdict(null);
    private static final Verdict[] DROPPED = new Verdict[DropReason.values().length];

    static {
        for (DropReason reason : DropReason.values()) {
            DROPPED[reason.ordinal()] = new Verdict(reason);
        }
    }

    private final DropReason reason;

    private Verdict(DropReason reason) {
        this.reason = reason;
    }

    /** The packet goes no further; the stage's base type counts {@code reason} and releases the packet. */
    public static Verdict dropped(DropReason reason) {
        return DROPPED[reason.ordinal()];
    }

    /** Why the packet was dropped, or null for {@link #CONTINUE} and {@link #CONSUMED}. */
    public DropReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return this == CONTINUE ? "continue" : this == CONSUMED ? "consumed" : "dropped(" + reason.tag() + ")";
    }
}
