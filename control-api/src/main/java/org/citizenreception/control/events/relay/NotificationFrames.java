package org.citizenreception.control.events.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cuts a message into NOTIFY payloads and puts them back together. PostgreSQL refuses a payload of
 * 8000 bytes or more; most live events are a few hundred bytes, but a petition with a long content
 * or a floor with a long queue can pass that. Such a message goes as several frames sent in one
 * transaction: PostgreSQL delivers the notifications of one transaction together, in the order they
 * were sent, and those of different transactions in commit order, so the frames of one message
 * arrive contiguous and in order on every listener.
 *
 * <p>A frame: {@code v1|<instance>|<sequence>|<index>|<count>|<text>}. The instance id lets a
 * listener drop its own instance's messages (they were delivered locally already). The text is cut
 * at {@link #MAX_CHARS_PER_FRAME} UTF-16 characters, never inside a surrogate pair: at most 3 UTF-8
 * bytes per character (4 per pair), so a frame stays under 7,300 bytes whatever the language.
 */
final class NotificationFrames {
    static final int MAX_CHARS_PER_FRAME = 2400;
    private static final String VERSION = "v1";

    /** One frame as read back: which instance sent it and where it belongs. */
    record Frame(String instance, long sequence, int index, int count, String text) {
    }

    private NotificationFrames() {
    }

    static List<String> split(String instance, long sequence, String message) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(message.length(), start + MAX_CHARS_PER_FRAME);
            if (end < message.length() && Character.isHighSurrogate(message.charAt(end - 1))) {
                end--;
            }
            pieces.add(message.substring(start, end));
            start = end;
        } while (start < message.length());
        List<String> frames = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            frames.add(VERSION + "|" + instance + "|" + sequence + "|" + i + "|" + pieces.size() + "|" + pieces.get(i));
        }
        return frames;
    }

    /** The frame in {@code payload}, or empty when it is not one (another program on the channel, a later version). */
    static Optional<Frame> parse(String payload) {
        String[] parts = payload.split("\\|", 6);
        if (parts.length != 6 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            int index = Integer.parseInt(parts[3]);
            int count = Integer.parseInt(parts[4]);
            if (index < 0 || count < 1 || index >= count) {
                return Optional.empty();
            }
            return Optional.of(new Frame(parts[1], Long.parseLong(parts[2]), index, count, parts[5]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts frames back together, per sending instance. Only the listener thread calls it. A frame
     * that does not continue its instance's message (cannot happen with PostgreSQL's ordering, but a
     * bug must not glue two messages together) drops the partial message and is reported.
     */
    static final class Assembler {
        private static final class Partial {
            final long sequence;
            final int count;
            final StringBuilder text;
            int next = 1;

            Partial(Frame first) {
                this.sequence = first.sequence();
                this.count = first.count();
                this.text = new StringBuilder(first.text());
            }
        }

        /** What one frame led to: a whole message, nothing yet, or a broken message (events may be lost). */
        record Result(Optional<String> message, boolean broken) {
            static final Result PENDING = new Result(Optional.empty(), false);
            static final Result BROKEN = new Result(Optional.empty(), true);
        }

        private final Map<String, Partial> partials = new HashMap<>();

        Result accept(Frame frame) {
            if (frame.count() == 1) {
                boolean broken = partials.remove(frame.instance()) != null;
                return new Result(Optional.of(frame.text()), broken);
            }
            Partial partial = partials.get(frame.instance());
            if (frame.index() == 0) {
                partials.put(frame.instance(), new Partial(frame));
                return partial == null ? Result.PENDING : Result.BROKEN;
            }
            if (partial == null || partial.sequence != frame.sequence() || partial.count != frame.count()
                    || partial.next != frame.index()) {
                partials.remove(frame.instance());
                return Result.BROKEN;
            }
            partial.text.append(frame.text());
            partial.next++;
            if (partial.next < partial.count) {
                return Result.PENDING;
            }
            partials.remove(frame.instance());
            return new Result(Optional.of(partial.text.toString()), false);
        }
    }
}
