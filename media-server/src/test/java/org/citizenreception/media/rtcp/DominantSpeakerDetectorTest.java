package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.citizenreception.media.rtp.FakeNanoClock;
import org.junit.jupiter.api.Test;

class DominantSpeakerDetectorTest {
    private static final int HOST = 1;
    private static final int GUEST = 2;
    private static final int SPEECH = 30;      // -30 dBov
    private static final int SILENCE = 127;
    private static final int VOICE_FLAG = 0x80;

    private final FakeNanoClock clock = new FakeNanoClock();
    private final DominantSpeakerDetector detector = new DominantSpeakerDetector(1000, 6, clock);

    @Test
    void theFirstSourceThatSpeaksBecomesDominantAtOnce() {
        assertThat(detector.hasDominantSpeaker()).isFalse();
        talk(300, VOICE_FLAG | SPEECH, SILENCE);
        assertThat(detector.hasDominantSpeaker()).isTrue();
        assertThat(detector.dominantSpeakerSsrc()).isEqualTo(HOST);
    }

    @Test
    void silenceAloneNeverMakesADominantSpeaker() {
        talk(1000, SILENCE, SILENCE);
        assertThat(detector.hasDominantSpeaker()).isFalse();
    }

    @Test
    void aBriefInterjectionDoesNotTakeOverButSustainedSpeechDoes() {
        talk(500, SPEECH, SILENCE);
        assertThat(talk(600, SILENCE, SPEECH)).as("600 ms of guest speech").isZero();
        assertThat(detector.dominantSpeakerSsrc()).isEqualTo(HOST);
        talk(500, SPEECH, SILENCE);
        assertThat(talk(1500, SILENCE, SPEECH)).isEqualTo(1);
        assertThat(detector.dominantSpeakerSsrc()).isEqualTo(GUEST);
    }

    @Test
    void theLastSpeakerStaysDominantThroughSilenceAndDtxGaps() {
        talk(500, SPEECH, SILENCE);
        clock.advanceMillis(5000); // nobody sends anything (Opus DTX)
        assertThat(detector.update()).isFalse();
        assertThat(detector.dominantSpeakerSsrc()).isEqualTo(HOST);
    }

    @Test
    void aSourceThatLeavesIsReplaced() {
        talk(500, SPEECH, 40);
        detector.remove(HOST);
        assertThat(detector.hasDominantSpeaker()).isFalse();
        talk(100, SILENCE, 40);
        assertThat(detector.dominantSpeakerSsrc()).isEqualTo(GUEST);
    }

    /** Both sources send a packet every 20 ms for {@code millis}; update runs every 100 ms. Returns changes. */
    private int talk(int millis, int hostLevel, int guestLevel) {
        int changes = 0;
        for (int t = 0; t < millis; t += 20) {
            detector.onAudioLevel(HOST, hostLevel);
            detector.onAudioLevel(GUEST, guestLevel);
            clock.advanceMillis(20);
            if (t % 100 == 80 && detector.update()) {
                changes++;
            }
        }
        return changes;
    }
}
