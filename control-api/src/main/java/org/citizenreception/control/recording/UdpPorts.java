package org.citizenreception.control.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which local UDP ports have a socket bound, read from the kernel's tables (/proc/net/udp and udp6):
 * reading, unlike a trial bind, can never take a port from under the muxer that is about to bind it.
 */
final class UdpPorts {
    private UdpPorts() {
    }

    static boolean allBound(List<Integer> ports) {
        return bound().containsAll(ports);
    }

    static boolean anyBound(List<Integer> ports) {
        Set<Integer> bound = bound();
        return ports.stream().anyMatch(bound::contains);
    }

    /** Local ports of every UDP socket; empty where /proc is not available. */
    static Set<Integer> bound() {
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(path)) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 1 && fields[1].contains(":") && !fields[0].equals("sl")) {
                        String local = fields[1];
                        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // a table that cannot be read says nothing: the caller's wait times out and retries
            }
        }
        return ports;
    }
}
