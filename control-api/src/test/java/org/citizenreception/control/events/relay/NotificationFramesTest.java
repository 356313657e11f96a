package org.citizenreception.control.events.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationFramesTest {
    /** PostgreSQL's NOTIFY refuses a payload of this many bytes or more. */
    static final int NOTIFY_LIMIT_BYTES = 8000;

    private static String repeat(String s, int chars) {
        StringBuilder b = new StringBuilder();
        while (b.length() < chars) {
            b.append(s);
        }
        return b.toString();
    }

    private static String roundTrip(List<String> frames) {
        NotificationFrames.Assembler assembler = new NotificationFrames.Assembler();
        String whole = null;
        for (String f : frames) {
            NotificationFrames.Assembler.Result r = assembler.accept(NotificationFrames.parse(f).orElseThrow());
            assertThat(r.broken()).isFalse();
            if (r.message().isPresent()) {
                assertThat(whole).as("one message only").isNull();
                whole = r.message().get();
            }
        }
        return whole;
    }

    @Test
    void aSmallMessageIsOneFrameAndComesBackAsItWas() {
        String message = "{\"type\":\"floor.granted\",\"room\":\"QN25-BAI-CHAY\"}";
        List<String> frames = NotificationFrames.split("a1", 7, message);
        assertThat(frames).hasSize(1);
        assertThat(roundTrip(frames)).isEqualTo(message);
    }

    @Test
    void aLargeVietnameseMessageIsCutIntoFramesUnderTheNotifyLimit() {
        // Three UTF-8 bytes per character ("ệ", "ữ"), four per pair (an emoji): the worst cases for the byte count.
        String message = repeat("Nguyễn Thị Hồng Nhung khiếu nại việc bồi thường đất ở xã Bãi Cháy 😀 ệữ", 30_000);
        List<String> frames = NotificationFrames.split("b2", 42, message);
        assertThat(frames.size()).isGreaterThan(10);
        for (String f : frames) {
            assertThat(f.getBytes(StandardCharsets.UTF_8).length).isLessThan(NOTIFY_LIMIT_BYTES);
            assertThat(f).doesNotContain("\uFFFD");
        }
        assertThat(roundTrip(frames)).isEqualTo(message);
    }

    @Test
    void aFrameCutJustBeforeASurrogatePairKeepsThePairWhole() {
        String message = repeat("a", NotificationFrames.MAX_CHARS_PER_FRAME - 1) + "😀" + "tail";
        List<String> frames = NotificationFrames.split("c3", 1, message);
        assertThat(frames).hasSize(2);
        assertThat(NotificationFrames.parse(frames.get(1)).orElseThrow().text()).startsWith("😀");
        assertThat(roundTrip(frames)).isEqualTo(message);
    }

    @Test
    void framesOfTwoInstancesInterleavedStillAssemble() {
        List<String> one = NotificationFrames.split("one", 1, repeat("x", 5_000));
        List<String> two = NotificationFrames.split("two", 1, repeat("y", 5_000));
        NotificationFrames.Assembler assembler = new NotificationFrames.Assembler();
        int whole = 0;
        for (int i = 0; i < one.size(); i++) {
            for (String f : List.of(one.get(i), two.get(i))) {
                NotificationFrames.Assembler.Result r = assembler.accept(NotificationFrames.parse(f).orElseThrow());
                assertThat(r.broken()).isFalse();
                whole += r.message().isPresent() ? 1 : 0;
            }
        }
        assertThat(whole).isEqualTo(2);
    }

    @Test
    void aMissingFrameBreaksTheMessageInsteadOfGluingTwoTogether() {
        List<String> first = NotificationFrames.split("i", 1, repeat("x", 5_000));
        List<String> second = NotificationFrames.split("i", 2, repeat("y", 5_000));
        NotificationFrames.Assembler assembler = new NotificationFrames.Assembler();
        assertThat(assembler.accept(NotificationFrames.parse(first.get(0)).orElseThrow()).broken()).isFalse();
        // first.get(1) is lost; the next message's second frame must not complete the first.
        NotificationFrames.Assembler.Result r = assembler.accept(NotificationFrames.parse(second.get(1)).orElseThrow());
        assertThat(r.broken()).isTrue();
        assertThat(r.message()).isEmpty();
        // A skipped middle frame is noticed too.
        assertThat(assembler.accept(NotificationFrames.parse(second.get(0)).orElseThrow()).broken()).isFalse();
        assertThat(assembler.accept(NotificationFrames.parse(second.get(2)).orElseThrow()).broken()).isTrue();
    }

    @Test
    void payloadsThatAreNotFramesAreIgnored() {
        assertThat(NotificationFrames.parse("hello")).isEmpty();
        assertThat(NotificationFrames.parse("v2|a|1|0|1|x")).isEmpty();
        assertThat(NotificationFrames.parse("v1|a|1|3|2|x")).isEmpty();
        assertThat(NotificationFrames.parse("v1|a|x|0|1|x")).isEmpty();
        assertThat(NotificationFrames.parse("v1|a|1|0|1|te|xt").orElseThrow().text()).isEqualTo("te|xt");
    }
}
