package org.citizenreception.media.rtcp;

import io.netty.util.collection.IntObjectHashMap;
import java.util.function.LongSupplier;
import org.citizenreception.media.rtp.HeaderExtensionValues;

/**
 * Picks the dominant speaker among audio sources from their RFC 6464 audio levels, for the
 * "program" a plain WHEP player gets (DESIGN.md, "Stage and slots").
 *
 * <p>Each source's loudness (127 minus its level in -dBov) is smoothed per packet; a source silent
 * for {@link #SILENT_AFTER_MILLIS} (Opus DTX stops sending) counts as silent. Hysteresis keeps the
 * picture from flapping: a challenger must be louder than the current speaker by
 * {@code marginDb} continuously for {@code switchAfterMillis}, and must be above the speech
 * threshold at all. With no speaker yet, the first source above the threshold wins at once. The
 * last speaker stays dominant through silence.
 *
 * <p>Thread-safe (synchronized): publishers may sit on different event loops. Audio levels arrive
 * at 50 packets per second per source, so the monitor is uncontended in practice.
 */
public final class DominantSpeakerDetector {
    public static final long SILENT_AFTER_MILLIS = 500;
    /** Louder than -70 dBov: speech, not a quiet room's noise floor. */
    private static final double SPEECH_THRESHOLD_LOUDNESS = 127 - 70;
    /** Per-packet smoothing: about 200 ms time constant at 20 ms packets. */
    private static final double SMOOTHING = 0.1;

    private static final class Speaker {
        double loudness;
        long lastHeardNanos;
    }

    private final IntObjectHashMap<Speaker> speakers = new IntObjectHashMap<>();
    private final long switchAfterNanos;
    private final double marginDb;
    private final LongSupplier nanoClock;
    private boolean hasDominant;
    private int dominantSsrc;
    private boolean hasChallenger;
    private int challengerSsrc;
    private long challengerSinceNanos;

    public DominantSpeakerDetector(long switchAfterMillis, double marginDb, LongSupplier nanoClock) {
        if (switchAfterMillis < 0 || marginDb < 0) {
            throw new IllegalArgumentException("switchAfterMillis and marginDb must not be negative: "
                    + switchAfterMillis + ", " + marginDb);
        }
        this.switchAfterNanos = switchAfterMillis * 1_000_000L;
        this.marginDb = marginDb;
        this.nanoClock = nanoClock;
    }

    /** Feeds one packet's raw audio-level byte ({@link HeaderExtensionValues#audioLevel}). */
    public synchronized void onAudioLevel(int sourceSsrc, int rawAudioLevel) {
        Speaker speaker = speakers.get(sourceSsrc);
        if (speaker == null) {
            speaker = new Speaker();
            speakers.put(sourceSsrc, speaker);
        }
        double loudness = HeaderExtensionValues.AUDIO_LEVEL_SILENT - HeaderExtensionValues.audioLevelDbov(rawAudioLevel);
        speaker.loudness += (loudness - speaker.loudness) * SMOOTHING;
        speaker.lastHeardNanos = nanoClock.getAsLong();
    }

    /** Re-evaluates; call from a timer (100-300 ms). True when the dominant speaker changed. */
    public synchronized boolean update() {
        long now = nanoClock.getAsLong();
        int loudestSsrc = 0;
        double loudest = -1;
        for (IntObjectHashMap.PrimitiveEntry<Speaker> entry : speakers.entries()) {
            double loudness = loudness(entry.value(), now);
            if (loudness > loudest) {
                loudest = loudness;
                loudestSsrc = entry.key();
            }
        }
        if (loudest < SPEECH_THRESHOLD_LOUDNESS || (hasDominant && loudestSsrc == dominantSsrc)) {
            hasChallenger = false;
            return false;
        }
        if (!hasDominant) {
            return becomeDominant(loudestSsrc);
        }
        Speaker current = speakers.get(dominantSsrc);
        double currentLoudness = current == null ? 0 : loudness(current, now);
        if (loudest < currentLoudness + marginDb) {
            hasChallenger = false;
            return false;
        }
        if (!hasChallenger || challengerSsrc != loudestSsrc) {
            hasChallenger = true;
            challengerSsrc = loudestSsrc;
            challengerSinceNanos = now;
        }
        return now - challengerSinceNanos >= switchAfterNanos && becomeDominant(loudestSsrc);
    }

    public synchronized boolean hasDominantSpeaker() {
        return hasDominant;
    }

    /** The dominant source's SSRC; meaningful only when {@link #hasDominantSpeaker()}. */
    public synchronized int dominantSpeakerSsrc() {
        return dominantSsrc;
    }

    /** Forgets a source that left; if it was dominant, the next {@link #update()} picks anew. */
    public synchronized void remove(int sourceSsrc) {
        speakers.remove(sourceSsrc);
        if (hasDominant && dominantSsrc == sourceSsrc) {
            hasDominant = false;
        }
        if (hasChallenger && challengerSsrc == sourceSsrc) {
            hasChallenger = false;
        }
    }

    private boolean becomeDominant(int sourceSsrc) {
        hasDominant = true;
        dominantSsrc = sourceSsrc;
        hasChallenger = false;
        return true;
    }

    private static double loudness(Speaker speaker, long now) {
        return now - speaker.lastHeardNanos > SILENT_AFTER_MILLIS * 1_000_000L ? 0 : speaker.loudness;
    }
}
