package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's gate fails on each kind of growth, loss and failure it states, and passes a flat run. */
class SoakBoundsTest {
    private static final long MB = 1L << 20;

    /** 13 samples over 2 minutes; {@code heapGrowthMbPerMinute} added to a flat 50 MB heap. */
    private static List<Soak.Sample> samples(double heapGrowthMbPerMinute, long extraFdsAtEnd, long endpointsAtEnd) {
        List<Soak.Sample> out = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            double minutes = i / 6.0;
            boolean last = i == 12;
            out.add(new Soak.Sample(minutes, (long) ((50 + heapGrowthMbPerMinute * minutes) * MB) + (i % 2) * 200_000,
                    300 * MB, 43, 128 + (last ? extraFdsAtEnd : 0), last ? endpointsAtEnd : 11, 0));
        }
        return out;
    }

    private static Soak.Result result(List<Soak.Sample> samples, long lost, long auth, double worstPercent) {
        return new Soak.Result(10, 10, 0, auth, lost, 21_000, worstPercent, samples);
    }

    @Test
    void aFlatRunWithEveryPacketDeliveredIsWithinEveryBound() {
        assertThat(SoakBounds.violations(result(samples(0, 0, 11), 0, 0, 99.9))).isEmpty();
    }

    @Test
    void eachGrowthLossAndFailureIsNamedWithItsFigure() {
        assertThat(SoakBounds.violations(result(samples(3, 0, 11), 0, 0, 99.9)))
                .singleElement().asString().startsWith("heap after GC grew 3.0");
        assertThat(SoakBounds.violations(result(samples(0, 17, 11), 0, 0, 99.9)))
                .singleElement().asString().startsWith("file descriptors 145 at 2.0 min");
        assertThat(SoakBounds.violations(result(samples(0, 0, 12), 0, 0, 99.9)))
                .singleElement().asString().startsWith("12 endpoints at 2.0 min (expected 11)");
        assertThat(SoakBounds.violations(result(samples(0, 0, 11), 1, 2, 94.0)))
                .containsExactly("1 packets lost at the viewers", "2 SRTP authentication failures",
                        "the worst viewer received 94.0 % of the publisher's packets");
    }

    @Test
    void aViewerThatNeverJoinedIsNamedOnceNotCountedAsALeakedEndpoint() {
        Soak.Result nineJoined = new Soak.Result(10, 9, 0, 0, 0, 21_000, 99.9, samples(0, 0, 10).stream()
                .map(x -> new Soak.Sample(x.minutes(), x.heapAfterGcBytes(), x.rssBytes(), x.threads(), x.fileDescriptors(), 10, 0))
                .toList());
        assertThat(SoakBounds.violations(nineJoined)).containsExactly("9 of 10 viewers connected");
    }

    @Test
    void aSampleTheProbeCouldNotReadIsABrokenBoundNotAPass() {
        List<Soak.Sample> s = samples(0, 0, 11);
        Soak.Sample first = s.get(0);
        s.set(0, new Soak.Sample(first.minutes(), -1, first.rssBytes(), first.threads(), first.fileDescriptors(), first.endpoints(), 0));
        assertThat(SoakBounds.violations(result(s, 0, 0, 99.9))).anyMatch(b -> b.startsWith("a sample could not read the server"));
    }
}
