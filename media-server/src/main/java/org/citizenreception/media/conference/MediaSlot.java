package org.citizenreception.media.conference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One kind (audio or video) of one stage slot: the source that fills it now and the viewers'
 * subscriptions to it. The source changes rarely (a floor change) and is read per packet, so it
 * is a volatile field; the subscription list is copy-on-write for the same reason.
 */
public final class MediaSlot {
    private final SlotName name;
    private final String kind;
    private volatile Source source;
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    MediaSlot(SlotName name, String kind) {
        this.name = name;
        this.kind = kind;
    }

    public SlotName name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public Source source() {
        return source;
    }

    /** Puts {@code next} in the slot (null empties it) and asks it for a keyframe for the viewers. */
    void place(Source next) {
        Source previous = source;
        source = next;
        if (previous != null && previous != next) {
            previous.unplaced(this);
        }
        if (next != null) {
            next.placed(this);
            if (!subscriptions.isEmpty()) {
                next.requestKeyframe();
            }
        }
    }

    /** Empties the slot if {@code leaving} is still in it. */
    void remove(Source leaving) {
        if (source == leaving) {
            source = null;
        }
    }

    List<Subscription> subscriptions() {
        return subscriptions;
    }

    void add(Subscription subscription) {
        subscriptions.add(subscription);
    }

    void remove(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    @Override
    public String toString() {
        return name.streamId() + "-" + kind;
    }
}
