package org.citizenreception.control.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Cuts one room off the bridge the way a dropped line does, with the kernel's packet filter
 * (nftables, as root): every UDP datagram to or from the bridge's port is dropped unless its other
 * end is one of the ports kept. On a {@link DualStackHost} (which runs the defaults, ICE-TCP on the
 * same port number) TCP to and from the bridge's port is dropped too, as a dropped line drops it:
 * kept rooms are connected over UDP, and a cut room must not get back in over ICE-TCP. Keeping the others (rather than dropping the room's one port)
 * also stops the room's new connection attempts, which come from new ports, until {@link #close}.
 *
 * <p>Only this server's bridge port is touched, so tests of other checkouts on the same machine
 * are not disturbed; the table is named after the port and deleted on close.
 */
final class UdpCut implements AutoCloseable {
    private final String table;
    /** Where the table lives: null for this namespace, else the server's namespace too. */
    private final String serverNamespace;

    private UdpCut(String table) {
        this(table, null);
    }

    private UdpCut(String table, String serverNamespace) {
        this.table = table;
        this.serverNamespace = serverNamespace;
    }

    /**
     * The same cut for a server in a {@link DualStackHost} namespace: on the server's input (it no
     * longer hears the room) and on this namespace's input (the room no longer hears it), here only
     * for datagrams from that server's addresses so other checkouts' servers on the same port are
     * not touched.
     */
    static UdpCut start(DualStackHost machine, Set<Integer> keptPorts) {
        if (keptPorts.isEmpty()) {
            throw new IllegalArgumentException("keptPorts is empty: the cut would drop every endpoint");
        }
        int port = DualStackHost.MEDIA_PORT;
        String kept = keptPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
        String table = "crl_cut_" + machine.namespace.replace('-', '_');
        nft(machine.namespace, "table inet " + table + " {\n"
                + "  chain in {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    udp dport " + port + " udp sport != { " + kept + " } drop\n"
                + "    tcp dport " + port + " drop\n"
                + "  }\n"
                + "}\n");
        try {
            nft(null, "table inet " + table + " {\n"
                    + "  chain in {\n"
                    + "    type filter hook input priority 0; policy accept;\n"
                    + "    ip saddr " + machine.serverIpv4 + " udp sport " + port + " udp dport != { " + kept + " } drop\n"
                    + "    ip6 saddr " + machine.serverIpv6 + " udp sport " + port + " udp dport != { " + kept + " } drop\n"
                    + "    ip saddr " + machine.serverIpv4 + " tcp sport " + port + " drop\n"
                    + "    ip6 saddr " + machine.serverIpv6 + " tcp sport " + port + " drop\n"
                    + "  }\n"
                    + "}\n");
        } catch (AssertionError e) {
            nft(machine.namespace, "delete table inet " + table + "\n");
            throw e;
        }
        return new UdpCut(table, machine.namespace);
    }

    static UdpCut start(int bridgePort, Set<Integer> keptPorts) {
        if (keptPorts.isEmpty()) {
            throw new IllegalArgumentException("keptPorts is empty: the cut would drop every endpoint");
        }
        String table = "crl_cut_" + bridgePort;
        String kept = keptPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
        // On the input hook, as a broken line loses packets: dropped on output, the sender's own
        // sendmmsg would fail with EPERM, which no real network does.
        nft("table inet " + table + " {\n"
                + "  chain in {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    udp sport " + bridgePort + " udp dport != { " + kept + " } drop\n"
                + "    udp dport " + bridgePort + " udp sport != { " + kept + " } drop\n"
                + "  }\n"
                + "}\n");
        return new UdpCut(table);
    }

    @Override
    public void close() {
        try {
            nft(null, "delete table inet " + table + "\n");
        } finally {
            if (serverNamespace != null) {
                nft(serverNamespace, "delete table inet " + table + "\n");
            }
        }
    }

    private static void nft(String script) {
        nft(null, script);
    }

    /** @param namespace a network namespace to run nft in, or null for this one */
    private static void nft(String namespace, String script) {
        Process p;
        try {
            p = new ProcessBuilder(namespace == null ? List.of("nft", "-f", "-") : List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test cuts a room's network with nft, which is missing: install the Debian package "
                    + "nftables (./test.sh does) and run as root", e);
        }
        try {
            p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("nft refused to change the packet filter (this test must run as root): " + out.strip()
                        + "\nscript:\n" + script);
            }
        } catch (IOException e) {
            throw new AssertionError("nft failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running nft", e);
        }
    }
}
