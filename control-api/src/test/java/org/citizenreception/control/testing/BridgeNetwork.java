package org.citizenreception.control.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network namespaces for bridge processes, as separate machines on one LAN: a switch namespace with
 * a Linux bridge, one namespace per media bridge with its own address on a veth pair into the switch,
 * and a veth pair from the test's own namespace into the switch, so control-api and the test's
 * clients (which run here) reach the bridges and the bridges reach control-api. The addresses are
 * {@code 198.19.<n>.0/24} (a benchmarking range, RFC 2544), {@code n} random per network so that
 * two tests at once do not collide; {@link #hostAddress()} is this namespace's. Needs root.
 */
public final class BridgeNetwork implements AutoCloseable {
    private final String suffix = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    private final int subnet = 16 + ThreadLocalRandom.current().nextInt(200);
    private final List<String> namespaces = new ArrayList<>();
    private final String hostLink = "crh" + suffix;
    private int nextHost = 2;

    private String sw;
    private BridgeNetwork() {
    }

    private void setUp() throws IOException, InterruptedException {
        sw = namespace("crl-sw-");
        check(run("ip", "-n", sw, "link", "add", "br0", "type", "bridge"));
        check(run("ip", "-n", sw, "link", "set", "br0", "up"));
        check(run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "csh" + suffix, "netns", sw));
        check(run("ip", "-n", sw, "link", "set", "csh" + suffix, "master", "br0", "up"));
        check(run("ip", "addr", "add", hostAddress() + "/24", "dev", hostLink));
        check(run("ip", "link", "set", hostLink, "up"));
    }

    /** Whether this process may create namespaces (root, and ip netns works): the reason when not. */
    public static java.util.Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return java.util.Optional.of("network namespaces need root");
        }
        try {
            return run("ip", "netns", "list") == 0 ? java.util.Optional.empty() : java.util.Optional.of("no ip netns here");
        } catch (IOException | InterruptedException e) {
            return java.util.Optional.of("no ip command: " + e.getMessage());
        }
    }

    public static BridgeNetwork create() throws IOException, InterruptedException {
        BridgeNetwork network = new BridgeNetwork();
        try {
            network.setUp();
        } catch (IOException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** This (the test's) namespace's address on the switch. */
    public String hostAddress() {
        return "198.19." + subnet + ".1";
    }

    /** A new namespace on the switch, with the next address; returns {namespace, address}. */
    public synchronized String[] addMachine(String name) throws IOException, InterruptedException {
        String ns = namespace("crl-" + name + "-");
        String address = "198.19." + subnet + "." + nextHost++;
        String inside = "cr" + name + suffix;
        String onSwitch = "cs" + name + suffix;
        check(run("ip", "-n", ns, "link", "add", inside, "type", "veth", "peer", "name", onSwitch, "netns", sw));
        check(run("ip", "-n", sw, "link", "set", onSwitch, "master", "br0", "up"));
        check(run("ip", "-n", ns, "addr", "add", address + "/24", "dev", inside));
        check(run("ip", "-n", ns, "link", "set", inside, "up"));
        return new String[] {ns, address};
    }

    private String namespace(String prefix) throws IOException, InterruptedException {
        String name = prefix + suffix;
        check(run("ip", "netns", "add", name));
        namespaces.add(name);
        check(run("ip", "-n", name, "link", "set", "lo", "up"));
        return name;
    }

    /** Deletes the namespaces (their veth ends, and with them the peers here, go too). */
    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "del", namespaces.get(i));
            } catch (IOException | InterruptedException e) {
                System.out.println("could not delete namespace " + namespaces.get(i) + ": " + e);
            }
        }
        try {
            run("ip", "link", "del", hostLink); // normally gone with its peer already
        } catch (IOException | InterruptedException e) {
            System.out.println("could not delete " + hostLink + ": " + e);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0 && !(command.length > 1 && command[1].equals("link") && command[2].equals("del"))) {
            System.out.println(String.join(" ", command) + ": " + output);
        }
        return status;
    }

    private static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("a network set-up command failed (exit " + status + ")");
        }
    }
}
