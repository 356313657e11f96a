package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The layer policy from constructed estimates and layer bitrates; time is passed in. */
class LayerSelectionTest {
    private static final long SECOND = 1_000_000_000L;
    /** Needs (with the audio allowance): 214, 564 and 1,564 kbit/s. */
    private static final long[] LAYERS = {150_000, 500_000, 1_500_000};
    private static final int NONE = -1;

    @Test
    void beforeItsFirstEstimateAViewerKeepsTheLayerItStartedWith() {
        LayerSelection selection = new LayerSelection(0);
        assertThat(selection.select(-1, -1, LAYERS, NONE, SECOND)).isEqualTo(0);
        assertThat(new LayerSelection(Integer.MAX_VALUE).select(-1, -1, LAYERS, NONE, SECOND)).as("clamped to the top").isEqualTo(2);
    }

    @Test
    void aViewerClimbsToTheBestLayerThatFitsOnceTheEstimateHeldItForASecond() {
        LayerSelection selection = new LayerSelection(0);
        assertThat(selection.select(2_000_000, 2_000_000, LAYERS, NONE, SECOND)).isEqualTo(0);
        assertThat(selection.select(2_000_000, 2_000_000, LAYERS, NONE, SECOND + SECOND / 2)).isEqualTo(0);
        assertThat(selection.select(2_000_000, 2_000_000, LAYERS, NONE, 2 * SECOND)).isEqualTo(2);
    }

    @Test
    void anEstimateThatDipsDuringTheHoldRestartsIt() {
        LayerSelection selection = new LayerSelection(0);
        selection.select(2_000_000, 2_000_000, LAYERS, NONE, SECOND);
        selection.select(300_000, 300_000, LAYERS, NONE, SECOND + SECOND / 2);
        assertThat(selection.select(2_000_000, 2_000_000, LAYERS, NONE, 2 * SECOND)).isEqualTo(0);
        assertThat(selection.select(2_000_000, 2_000_000, LAYERS, NONE, 3 * SECOND)).isEqualTo(2);
    }

    @Test
    void goingDownIsAtOnceToTheBestLayerThatFits() {
        LayerSelection selection = new LayerSelection(2);
        assertThat(selection.select(700_000, 700_000, LAYERS, NONE, SECOND)).isEqualTo(1);
        assertThat(selection.select(150_000, 150_000, LAYERS, NONE, 2 * SECOND)).as("video below every need: the lowest layer")
                .isEqualTo(0);
    }

    @Test
    void theCurrentLayerIsKeptWhileItsNeedIsWithinAQuarterOfTheEstimate() {
        LayerSelection selection = new LayerSelection(1);
        assertThat(selection.select(460_000, 460_000, LAYERS, NONE, SECOND)).as("564 <= 460 * 1.25").isEqualTo(1);
        assertThat(selection.select(440_000, 440_000, LAYERS, NONE, 2 * SECOND)).as("564 > 440 * 1.25").isEqualTo(0);
    }

    @Test
    void aLineBelowAHundredKilobitsForTwoSecondsGetsAudioOnlyAndVideoResumesAboveOneHundredFifty() {
        LayerSelection selection = new LayerSelection(1);
        assertThat(selection.select(90_000, 90_000, LAYERS, NONE, SECOND)).as("below every need: the lowest layer, for now")
                .isEqualTo(0);
        assertThat(selection.select(90_000, 90_000, LAYERS, NONE, 3 * SECOND - 1)).as("not thin for the whole hold yet")
                .isEqualTo(0);
        assertThat(selection.select(90_000, 90_000, LAYERS, NONE, 3 * SECOND)).isEqualTo(LayerSelection.AUDIO_ONLY);
        assertThat(selection.select(140_000, 140_000, LAYERS, NONE, 4 * SECOND)).as("between the thresholds: as it is")
                .isEqualTo(LayerSelection.AUDIO_ONLY);
        assertThat(selection.select(160_000, 160_000, LAYERS, NONE, 5 * SECOND)).as("video back, on the lowest layer").isEqualTo(0);
    }

    @Test
    void oneLowReportDoesNotCutVideoAndTheHoldStartsAgainAfterAGoodOne() {
        LayerSelection selection = new LayerSelection(0);
        selection.select(90_000, 90_000, LAYERS, NONE, SECOND);
        assertThat(selection.select(300_000, 300_000, LAYERS, NONE, 2 * SECOND)).isEqualTo(0);
        selection.select(90_000, 90_000, LAYERS, NONE, 2 * SECOND + SECOND / 2);
        assertThat(selection.select(90_000, 90_000, LAYERS, NONE, 4 * SECOND)).as("thin for 1.5 s since the good report")
                .isEqualTo(0);
        assertThat(selection.select(90_000, 90_000, LAYERS, NONE, 4 * SECOND + SECOND / 2)).isEqualTo(LayerSelection.AUDIO_ONLY);
    }

    @Test
    void audioOnlyIsJudgedOnWhatTheLineCarriesNotOnTheLossLoweredEstimate() {
        LayerSelection selection = new LayerSelection(1);
        for (long t = SECOND; t <= 10 * SECOND; t += SECOND / 10) {
            // the 4 Dec failure: a REMB of 287 kbit/s, the estimate lowered for loss far under 100
            assertThat(selection.select(60_000, 287_000, LAYERS, NONE, t)).as("at %d ms", t / 1_000_000).isEqualTo(0);
        }
    }

    @Test
    void aPinnedLayerIsSentWhateverTheEstimateButAudioOnlyStillApplies() {
        LayerSelection selection = new LayerSelection(2);
        assertThat(selection.select(5_000_000, 5_000_000, LAYERS, 0, SECOND)).isEqualTo(0);
        assertThat(selection.select(300_000, 300_000, LAYERS, 2, 2 * SECOND)).isEqualTo(2);
        assertThat(selection.select(-1, -1, LAYERS, 7, 3 * SECOND)).as("beyond the top means the top").isEqualTo(2);
        assertThat(selection.select(50_000, 50_000, LAYERS, 2, 4 * SECOND)).isEqualTo(2);
        assertThat(selection.select(50_000, 50_000, LAYERS, 2, 6 * SECOND)).as("a thin line for the hold")
                .isEqualTo(LayerSelection.AUDIO_ONLY);
    }

    @Test
    void aLayerThePublisherStoppedSendingIsLeftForOneThatSends() {
        LayerSelection selection = new LayerSelection(2);
        assertThat(selection.select(5_000_000, 5_000_000, new long[] {150_000, 500_000, 0}, NONE, SECOND)).isEqualTo(1);
    }

    @Test
    void nothingMeasuredYetChangesNothing() {
        LayerSelection selection = new LayerSelection(2);
        assertThat(selection.select(300_000, 300_000, new long[] {0, 0, 0}, NONE, SECOND)).isEqualTo(2);
    }

    @Test
    void aSuccessfulProbeClimbsAtOnce() {
        LayerSelection selection = new LayerSelection(0);
        selection.probeSucceeded(1);
        assertThat(selection.current()).isEqualTo(1);
        assertThat(selection.select(500_000, 500_000, LAYERS, NONE, SECOND)).as("kept: 564 <= 500 * 1.25").isEqualTo(1);
        selection.probeSucceeded(0);
        assertThat(selection.current()).as("a probe never takes a viewer down").isEqualTo(1);
    }
}
