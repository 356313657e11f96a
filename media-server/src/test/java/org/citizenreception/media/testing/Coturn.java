package org.citizenreception.media.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real TURN server (Debian's coturn) in a network namespace of its own, with TURN REST
 * credentials ({@code use-auth-secret}, {@code static-auth-secret}), as an operator would run it for
 * the bridge. The namespace is joined to this one by a veth pair: {@link #HOST_SIDE} here (the
 * address the bridge advertises, so relayed media reaches it), {@link #TURN_SIDE} in there, where
 * coturn listens and relays. Its own namespace gives it a fixed port no other test can hold, and
 * it is removed with everything in it at {@link #close}. Needs root, {@code ip} and {@code turnserver}.
 */
public final class Coturn implements AutoCloseable {
    public static final String HOST_SIDE = "198.18.7.1";
    public static final String TURN_SIDE = "198.18.7.2";
    public static final int PORT = 3478;

    private final String namespace;
    private final Process process;
    private final Path log;

    private Coturn(String namespace, Process process, Path log) {
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    /** Starts coturn and returns once its UDP port is open. */
    public static Coturn start(String secret, Path dir) throws Exception {
        long id = ProcessHandle.current().pid() % 100_000;
        String namespace = "turn" + id;
        String hostLink = "vturn" + id;
        run("ip", "netns", "add", namespace);
        try {
            run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "vt" + id, "netns", namespace);
            run("ip", "addr", "add", HOST_SIDE + "/30", "dev", hostLink);
            run("ip", "link", "set", hostLink, "up");
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", TURN_SIDE + "/30", "dev", "vt" + id);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "vt" + id, "up");
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
            Path config = dir.resolve("turnserver.conf");
            Path log = dir.resolve("turnserver.log");
            Files.writeString(config, String.join("\n",
                    "listening-ip=" + TURN_SIDE, "relay-ip=" + TURN_SIDE, "listening-port=" + PORT,
                    "min-port=49152", "max-port=49252", "realm=reception.test", "use-auth-secret",
                    "static-auth-secret=" + secret, "fingerprint", "no-tls", "no-dtls", "no-cli", "no-tcp-relay",
                    "no-multicast-peers", "simple-log", "verbose", "log-file=" + log, "pidfile=" + dir.resolve("turnserver.pid"), ""),
                    StandardCharsets.UTF_8);
            // its own log file, flushed per line (stdout into a file is block-buffered)
            Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "turnserver", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("turnserver.out").toFile()).start();
            Coturn coturn = new Coturn(namespace, process, log);
            coturn.awaitListening();
            return coturn;
        } catch (Exception e) {
            new ProcessBuilder("ip", "netns", "del", namespace).start().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited: " + log());
            }
            // coturn 4.6 does not log its listeners: ask the kernel of its namespace
            Process ss = new ProcessBuilder("ip", "netns", "exec", namespace, "ss", "-lnu").redirectErrorStream(true).start();
            String sockets = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor(10, TimeUnit.SECONDS);
            if (sockets.contains(TURN_SIDE + ":" + PORT)) {
                return;
            }
            Thread.sleep(100); // polling a condition, with a deadline
        }
        throw new IllegalStateException("turnserver did not open its UDP listener in 30 s: " + log());
    }

    /** {@code turn:198.18.7.2:3478?transport=udp}. */
    public String url() {
        return "turn:" + TURN_SIDE + ":" + PORT + "?transport=udp";
    }

    /** What coturn logged so far (its log file, then what it printed before opening it). */
    public String log() throws IOException {
        Path out = log.resolveSibling("turnserver.out");
        return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
    }

    /**
     * Whether coturn grants an allocation to {@code username}/{@code password}, asked with coturn's own
     * client ({@code turnutils_uclient}, one allocation, one message): coturn's answer, not ours.
     */
    public boolean grantsAllocation(String username, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("turnutils_uclient", "-u", username, "-w", password, "-n", "1", "-m", "1", "-y", TURN_SIDE)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("turnutils_uclient did not finish: " + output);
        }
        if (output.contains("Cannot complete Allocation")) {
            return false;
        }
        if (output.contains("Total lost packets")) {
            return true;
        }
        throw new IllegalStateException("turnutils_uclient said neither: " + output);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        run("ip", "netns", "del", namespace); // takes the veth pair with it
    }
}
