package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void theWhepEndpointDefaultsToTheWhipOneOfTheSameSession() {
        BenchOptions o = BenchOptions.parse(new String[] {"--whip", "http://127.0.0.1:8080/whip/7", "--viewers", "50",
                "--join", "gradual", "--smoke"});
        assertThat(o.whep.toString()).isEqualTo("http://127.0.0.1:8080/whep/7");
        assertThat(o.viewers).isEqualTo(50);
        assertThat(o.storm).isFalse();
        assertThat(o.smoke).isTrue();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--whip", "http://x/whip/1", "--viewers", "0"}))
                .hasMessageContaining("--viewers");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--viewers", "3"}))
                .hasMessageContaining("--whip");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--whip", "http://x/whip/1", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
    }

    @Test
    void generatorViewersAnswerLikeLibwebrtcUnlessToldOtherwise() {
        BenchOptions defaults = BenchOptions.parse(new String[] {"--whip", "http://x/whip/1"});
        BenchOptions calibration = BenchOptions.parse(new String[] {"--whip", "http://x/whip/1", "--viewer-kind", "libwebrtc",
                "--viewer-feedback", "simple", "--vp8-clip", "bench/target/clip.ivf"});

        assertThat(defaults.libwebrtcFeedback).isTrue();
        assertThat(defaults.libwebrtcViewers).isFalse();
        assertThat(calibration.libwebrtcViewers).isTrue();
        assertThat(calibration.libwebrtcFeedback).isFalse();
        assertThat(calibration.vp8Clip.toString()).isEqualTo("bench/target/clip.ivf");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--whip", "http://x/whip/1", "--viewer-kind", "chrome"}))
                .hasMessageContaining("--viewer-kind");
    }
}
