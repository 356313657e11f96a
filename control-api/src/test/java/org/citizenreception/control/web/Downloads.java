package org.citizenreception.control.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Waits for a file the browser downloads to be whole. Chromium reserves the final name with an
 * empty file as soon as the download starts and writes into a {@code .crdownload} beside it, renamed
 * over the final name at the end: the final name existing says nothing about its content (an
 * earlier wait on it alone read an empty CSV once in CI).
 */
final class Downloads {
    private Downloads() {
    }

    /** The one file ending in {@code suffix} in {@code folder}, once no download is in progress and it has content. */
    static Path awaitComplete(Path folder, String suffix, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            List<Path> files = list(folder);
            boolean inProgress = files.stream().anyMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
            Optional<Path> done = files.stream().filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
            if (!inProgress && done.isPresent() && size(done.get()) > 0) {
                return done.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no complete *" + suffix + " download in " + folder + " within " + patience + "; files: "
                        + files.stream().map(p -> p.getFileName() + " (" + size(p) + " bytes)").toList());
            }
            Thread.sleep(100); // polling the folder: the browser tells the page nothing when a download ends
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // renamed away between the listing and this look
        }
    }
}
