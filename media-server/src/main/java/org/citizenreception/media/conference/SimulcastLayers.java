package org.citizenreception.media.conference;

import java.util.List;

/**
 * The layers of one simulcast video stream a publisher sends (RFC 8853: one {@link Source} per rid,
 * each with its own SSRC, history and keyframes), lowest first as the publisher listed its
 * encodings. The slot carries the group: each viewer's {@link LayerControl} picks the layer it is
 * sent, so one weak line gets a lighter stream without everyone getting it.
 *
 * <p>Each layer's bitrate is measured from what arrives (a second's window, updated by the periodic
 * tick, the lower of the last two: {@link #smoothed}): the publisher's encoder decides what each layer really costs, and it changes with the
 * picture and the publisher's own estimate.
 */
final class SimulcastLayers {
    private final Source[] layers;
    /** Event loop writes (tick), any thread reads (viewers' selection): plain volatile snapshots. */
    private volatile long[] bitratesBps;
    private final long[] octetsAtLastMeasure;
    /** Each layer's bitrate over the last window as measured, before {@link #smoothed}. */
    private final long[] lastWindowBps;
    private long lastMeasureNanos;

    SimulcastLayers(List<Source> lowestFirst) {
        if (lowestFirst.size() < 2) {
            throw new IllegalArgumentException("lowestFirst must hold at least two layers: " + lowestFirst.size());
        }
        this.layers = lowestFirst.toArray(new Source[0]);
        this.bitratesBps = new long[layers.length];
        this.octetsAtLastMeasure = new long[layers.length];
        this.lastWindowBps = new long[layers.length];
    }

    int count() {
        return layers.length;
    }

    /** Layer {@code index}, 0 the lowest. */
    Source layer(int index) {
        return layers[index];
    }

    /** The top layer: what the slot names as its source, and what a viewer without a choice gets. */
    Source top() {
        return layers[layers.length - 1];
    }

    /** The layer index of {@code source}, or -1 when it is not one of these. */
    int indexOf(Source source) {
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == source) {
                return i;
            }
        }
        return -1;
    }

    /** The layer whose media SSRC is {@code ssrc}, or null. */
    Source withSsrc(int ssrc) {
        for (Source layer : layers) {
            if (layer.ssrc() == ssrc && ssrc != 0) {
                return layer;
            }
        }
        return null;
    }

    /** The measured bitrates, lowest layer first; 0 for a layer that sent nothing in the last window. */
    long[] bitratesBps() {
        return bitratesBps;
    }

    /**
     * A layer's bitrate as the policy reads it: the lower of its last two windows, except that a
     * layer that stopped reads 0 at once (no viewer may wait on it) and one that started reads its
     * first window. Why: every viewer that switches to a layer asks for its keyframe, and a 720p
     * keyframe or two doubled the top layer's one-second figure (1.0 to 2.0 Mbit/s and back), which
     * moved viewers on a good line down and up again; a rise that lasts counts a second later.
     */
    static long smoothed(long previousWindowBps, long windowBps) {
        if (windowBps == 0 || previousWindowBps == 0) {
            return windowBps;
        }
        return Math.min(previousWindowBps, windowBps);
    }

    /** Once a second or so, on the event loop: each layer's bitrate over the time since the last call. */
    void measure(long nowNanos) {
        if (lastMeasureNanos == 0) {
            lastMeasureNanos = nowNanos;
            for (int i = 0; i < layers.length; i++) {
                octetsAtLastMeasure[i] = layers[i].octets();
            }
            return;
        }
        long elapsed = nowNanos - lastMeasureNanos;
        if (elapsed < 500_000_000L) {
            return;
        }
        long[] measured = new long[layers.length];
        for (int i = 0; i < layers.length; i++) {
            long octets = layers[i].octets();
            long window = (octets - octetsAtLastMeasure[i]) * 8 * 1_000_000_000L / elapsed;
            measured[i] = smoothed(lastWindowBps[i], window);
            lastWindowBps[i] = window;
            octetsAtLastMeasure[i] = octets;
        }
        lastMeasureNanos = nowNanos;
        bitratesBps = measured;
    }
}
