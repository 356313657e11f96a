package org.citizenreception.media.conference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.citizenreception.media.sdp.MediaKind;

/**
 * One kind (audio or video) of one stage slot: the source that fills it, the one that filled it
 * before (still forwarded until each viewer's rewriter has switched at a keyframe of the new one),
 * and the viewers' subscriptions. Sources change rarely (a floor change) and are read per packet,
 * so they are volatile fields; the subscription list is copy-on-write for the same reason.
 */
public final class MediaSlot {
    private final SlotName name;
    private final MediaKind kind;
    private volatile Source source;
    private volatile Source previous;
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The recorder's copy, or null (the usual case: one volatile read per packet). */
    private volatile RecordingTap recordingTap;

    MediaSlot(SlotName name, MediaKind kind) {
        this.name = name;
        this.kind = kind;
    }

    public SlotName name() {
        return name;
    }

    public MediaKind kind() {
        return kind;
    }

    /** The source filling the slot now (for video: the one viewers switch to at its next keyframe). */
    public Source source() {
        return source;
    }

    /** True when packets of {@code candidate} are wanted by this slot's viewers. */
    boolean carries(Source candidate) {
        return candidate == source || candidate == previous || isLayerOf(candidate, source) || isLayerOf(candidate, previous);
    }

    /** A simulcast layer of a stream the slot carries: each viewer picks its own layer. */
    private static boolean isLayerOf(Source candidate, Source carried) {
        SimulcastLayers layers = carried == null ? null : carried.layers();
        return layers != null && layers == candidate.layers();
    }

    /**
     * Puts {@code next} in the slot (null empties it): every subscriber's rewriter is told on the
     * event loop, and {@code next} is asked for a keyframe so video can switch soon.
     */
    void place(Source next) {
        Source old = source;
        if (old == next) {
            return;
        }
        previous = old;
        source = next;
        if (old != null) {
            old.unplaced(this);
        }
        if (next != null) {
            next.placed(this);
            SimulcastLayers layers = next.layers();
            for (int i = 0; layers != null && i < layers.count(); i++) {
                layers.layer(i).placed(this);
            }
        }
        for (Subscription subscription : subscriptions) {
            subscription.followSlot();
        }
        RecordingTap tap = recordingTap;
        if (tap != null) {
            tap.followSlot();
        }
        if (next != null && (!subscriptions.isEmpty() || tap != null)) {
            next.requestKeyframe();
        }
    }

    /** Forgets {@code leaving} (it closed): empties the slot if it was filling it. */
    void remove(Source leaving) {
        if (previous == leaving) {
            previous = null;
        }
        if (source == leaving) {
            source = null;
            for (Subscription subscription : subscriptions) {
                subscription.followSlot();
            }
            RecordingTap tap = recordingTap;
            if (tap != null) {
                tap.followSlot();
            }
        }
    }

    /** The source with {@code ssrc} among the current and previous one, or null. */
    Source sourceWithSsrc(int ssrc) {
        Source current = source;
        if (current != null && current.ssrc() == ssrc) {
            return current;
        }
        Source before = previous;
        if (before != null && before.ssrc() == ssrc) {
            return before;
        }
        Source layer = current == null || current.layers() == null ? null : current.layers().withSsrc(ssrc);
        if (layer == null && before != null && before.layers() != null) {
            layer = before.layers().withSsrc(ssrc);
        }
        return layer;
    }

    RecordingTap recordingTap() {
        return recordingTap;
    }

    /** Puts {@code tap} in place of the slot's recorder copy (null removes it); the one replaced is closed. */
    void recordWith(RecordingTap tap) {
        RecordingTap old = recordingTap;
        recordingTap = tap;
        if (old != null && old != tap) {
            old.close();
        }
        if (tap != null) {
            tap.followSlot();
            Source current = source;
            if (current != null) {
                current.requestKeyframe();
            }
        }
    }

    /** Removes {@code tap} if it is still the slot's recorder copy. */
    void stopRecording(RecordingTap tap) {
        tap.close();
        if (recordingTap == tap) {
            recordingTap = null;
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
