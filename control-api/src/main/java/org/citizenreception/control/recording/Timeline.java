package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A session recording's own log, {@code timeline.tsv} beside its files, appended and synced line by
 * line: where each part starts on the wall clock, each floor change and petition registered (for the
 * chapters), and the end. It is what recovers a recording after a crash, so it is kept on disk with
 * the media rather than in memory. All times are Unix milliseconds of the machine's clock, the clock
 * the bridge stamps the media with.
 *
 * <p>Lines: {@code millis TAB kind TAB value [TAB value]}; kinds {@code part} (slot base name),
 * {@code floor} (room code, room name; empty code: back to the host), {@code content} (the stage
 * layout while a share is shown, who shares; empty layout: no share shown), {@code petition} (register
 * number only: no personal data reaches the chapters), {@code end}.
 */
final class Timeline {
    static final String FILE = "timeline.tsv";

    record Entry(long millis, String kind, List<String> values) {
        String value(int i) {
            return i < values.size() ? values.get(i) : "";
        }
    }

    private final Path file;

    Timeline(Path dir) {
        this.file = dir.resolve(FILE);
    }

    synchronized void append(long millis, String kind, String... values) {
        StringBuilder line = new StringBuilder().append(millis).append('\t').append(kind);
        for (String v : values) {
            line.append('\t').append(v.replace('\t', ' ').replace('\n', ' '));
        }
        line.append('\n');
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    static List<Entry> read(Path dir) {
        Path file = dir.resolve(FILE);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length < 2) {
                    continue; // a line cut by a crash
                }
                try {
                    entries.add(new Entry(Long.parseLong(f[0]), f[1], List.of(f).subList(2, f.length)));
                } catch (NumberFormatException e) {
                    // a torn line: skip it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return entries;
    }

    static boolean ended(Path dir) {
        return read(dir).stream().anyMatch(e -> e.kind().equals("end"));
    }
}
