package org.citizenreception.media.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, read from the
 * {@code drops} column of {@code /proc/net/udp} (Linux). Tells a test whether a burst overflowed
 * a socket, which no counter in Java can see.
 */
public final class UdpSocketDrops {
    private UdpSocketDrops() {
    }

    /**
     * Drops of the UDP socket bound to {@code port}, or -1 when it is not listed (or not Linux).
     * Java's sockets are often dual-stack, listed in {@code udp6} even when bound to 127.0.0.1.
     */
    public static long of(int port) {
        String localPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns.length > 12 && columns[1].endsWith(localPort)) {
                        return Long.parseLong(columns[columns.length - 1]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }
}
