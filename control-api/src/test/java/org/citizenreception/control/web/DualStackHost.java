package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server machine that looks like a real one: a network namespace whose {@code eth0} (one end of a
 * veth pair) has an IPv4 and an IPv6 address besides its automatic fe80:: link-local one, and the
 * server started in it the way the README says, {@code ./run.sh} from the repository root, with
 * default media settings (only the data folder and the administrator's password come from the
 * environment). Browsers stay in the host namespace and reach it over the veth pair, at
 * {@link #serverIpv4} / {@link #serverIpv6}; HTTP on the default port 8080, media on UDP 10000,
 * both free because the namespace is the server's own.
 *
 * <p>Names carry the process id and a counter, and the addresses (a /29 and a /64) come from 198.19.0.0/16 and
 * 2001:db8:c0de::/48 picked by them too, so runs in other checkouts on the same machine do not
 * collide. {@link #close} stops the server, deletes the namespace (and with it the veth pair) even
 * after a failure, and a shutdown hook does the same if the test JVM is killed first.
 *
 * <p>Needs root and iproute2's {@code ip}: without them it fails with that said, never skips.
 */
final class DualStackHost implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final int HTTP_PORT = 8080;
    static final int MEDIA_PORT = 10000;

    final String namespace;
    final String hostEnd;
    final String hostIpv4;
    final String serverIpv4;
    final String hostIpv6;
    final String serverIpv6;
    /** A second IPv4 address of the server, for a second origin (its own browser storage), or null. */
    final String serverSecondIpv4;
    private final Thread cleanupOnExit = new Thread(this::cleanUp, "dual-stack-host-cleanup");
    private Process server;
    private Path serverLog;

    private DualStackHost(boolean secondAddress) {
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        this.namespace = "crl-ds-" + pid + "-" + n;
        this.hostEnd = "crlh" + (pid % 1_000_000) + "x" + n; // interface names have at most 15 characters
        int subnet = (int) ((pid * 16 + n) % 8192); // a /29 of 198.19.0.0/16
        int base = subnet * 8;
        this.hostIpv4 = "198.19." + (base >> 8) + "." + ((base & 0xFF) + 1);
        this.serverIpv4 = "198.19." + (base >> 8) + "." + ((base & 0xFF) + 2);
        this.serverSecondIpv4 = secondAddress ? "198.19." + (base >> 8) + "." + ((base & 0xFF) + 3) : null;
        this.hostIpv6 = "2001:db8:c0de:" + Integer.toHexString(subnet) + "::1";
        this.serverIpv6 = "2001:db8:c0de:" + Integer.toHexString(subnet) + "::2";
    }

    /** Creates the namespace and the veth pair, addressed and up. */
    static DualStackHost create() {
        return create(false);
    }

    /** Like {@link #create()}, with a second IPv4 address on the server's eth0 ({@link #secondOrigin}). */
    static DualStackHost createWithSecondAddress() {
        return create(true);
    }

    private static DualStackHost create(boolean secondAddress) {
        requireRootAndIp();
        DualStackHost host = new DualStackHost(secondAddress);
        Runtime.getRuntime().addShutdownHook(host.cleanupOnExit);
        try {
            String serverEnd = host.hostEnd.replace("crlh", "crls");
            ip("netns", "add", host.namespace);
            ip("link", "add", host.hostEnd, "type", "veth", "peer", "name", serverEnd);
            ip("link", "set", serverEnd, "netns", host.namespace);
            ip("-n", host.namespace, "link", "set", serverEnd, "name", "eth0");
            ip("-n", host.namespace, "link", "set", "lo", "up");
            ip("-n", host.namespace, "addr", "add", host.serverIpv4 + "/29", "dev", "eth0");
            if (secondAddress) {
                ip("-n", host.namespace, "addr", "add", host.serverSecondIpv4 + "/29", "dev", "eth0");
            }
            // nodad: usable at once rather than "tentative" for a second or two
            ip("-n", host.namespace, "addr", "add", host.serverIpv6 + "/64", "dev", "eth0", "nodad");
            ip("-n", host.namespace, "link", "set", "eth0", "up");
            ip("addr", "add", host.hostIpv4 + "/29", "dev", host.hostEnd);
            ip("addr", "add", host.hostIpv6 + "/64", "dev", host.hostEnd, "nodad");
            ip("link", "set", host.hostEnd, "up");
            host.awaitLinkLocalAddress();
            return host;
        } catch (RuntimeException | Error e) {
            host.close();
            throw e;
        }
    }

    /**
     * Starts {@code ./run.sh} from the repository root inside the namespace and waits for
     * {@code /health}. When run.sh would rebuild first (a source, even a test, newer than the jar:
     * Maven does not rewrite a jar whose classes did not change), it starts exactly what run.sh
     * execs instead, {@code java -jar control-api/target/reception-control-api.jar}, checked
     * against run.sh's text, rather than a Maven build inside the test.
     */
    void startServer(Path dataDir, String adminPassword) throws IOException, InterruptedException {
        Path root = Browser.repositoryRoot();
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(readmeCommand(root));
        serverLog = Files.createDirectories(dataDir.getParent()).resolve(namespace + "-server.log");
        Files.writeString(serverLog, "$ " + String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog.toFile()));
        // only what the README allows: the data folder and the administrator's password
        pb.environment().keySet().removeIf(k -> k.startsWith("RECEPTION_"));
        pb.environment().put("RECEPTION_DATA_DIR", dataDir.toString());
        pb.environment().put("RECEPTION_ADMIN_PASSWORD", adminPassword);
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("./run.sh in namespace " + namespace + " exited with " + server.exitValue()
                        + "; its output:\n" + serverLog());
            }
            if (healthy()) {
                System.out.printf("DualStackHost: %s answers at %s (media advertised: %s)%n", String.join(" ", command), baseUrl(),
                        serverLog().lines().filter(l -> l.contains(", advertising ")).findFirst().orElse("?"));
                return;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("./run.sh in namespace " + namespace + " did not answer /health at " + baseUrl()
                + " within 120 s; its output:\n" + serverLog());
    }

    /** The web UI as a browser in the host namespace reaches it, over IPv4 (http.host binds 0.0.0.0). */
    String baseUrl() {
        return "http://" + serverIpv4 + ":" + HTTP_PORT + "/";
    }

    String origin() {
        return "http://" + serverIpv4 + ":" + HTTP_PORT;
    }

    /** The same server at its second address: another origin, so a second sign-in in one browser keeps apart. */
    String secondOrigin() {
        if (serverSecondIpv4 == null) {
            throw new IllegalStateException("created without a second address");
        }
        return "http://" + serverSecondIpv4 + ":" + HTTP_PORT;
    }

    /** Chromium flags that make the plain-HTTP origins secure contexts (the camera needs one; or HTTPS). */
    List<String> browserFlags() {
        return List.of("--unsafely-treat-insecure-origin-as-secure=" + origin()
                + (serverSecondIpv4 == null ? "" : "," + secondOrigin()));
    }

    /** What the server printed so far (its log goes to standard output). */
    String serverLog() {
        try {
            return serverLog == null ? "" : Files.readString(serverLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The kernel adds fe80:: to eth0 once it is up; a real NIC has it, and the server must skip it. */
    private void awaitLinkLocalAddress() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ip("-n", namespace, "-6", "addr", "show", "dev", "eth0").contains("fe80::")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("eth0 in " + namespace + " got no fe80:: address within 10 s");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same, idempotently
        }
    }

    /** Idempotent: stops the server (SIGTERM, then SIGKILL), anything else left in the namespace, and deletes it. */
    private synchronized void cleanUp() {
        if (server != null) {
            List<ProcessHandle> tree = new ArrayList<>(server.descendants().toList());
            server.destroy();
            try {
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            server = null;
        }
        // anything still in the namespace was started by this fixture
        for (String pid : ipQuietly("netns", "pids", namespace).split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        ipQuietly("netns", "del", namespace);
        ipQuietly("link", "del", hostEnd);
    }

    private static List<String> readmeCommand(Path root) throws IOException, InterruptedException {
        String jarPath = "control-api/target/reception-control-api.jar";
        Path jar = root.resolve(jarPath);
        String script = Files.readString(root.resolve("run.sh"), StandardCharsets.UTF_8);
        assertThat(script).as("what run.sh starts, which this fixture may start in its place")
                .contains("jar=" + jarPath + "\n", "exec java -jar \"$jar\" \"$@\"");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build it first (mvn package; mvn verify does), "
                    + "or run.sh would start a Maven build inside the test");
        }
        Process find = new ProcessBuilder("find", "pom.xml", "media-server", "control-api", "web-client", "-newer", jar.toString(),
                "-type", "f", "-not", "-path", "*/target/*", "-print", "-quit").directory(root.toFile()).redirectErrorStream(true).start();
        String newer = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        find.waitFor(30, TimeUnit.SECONDS);
        return newer.isEmpty() ? List.of(root.resolve("run.sh").toString()) : List.of("java", "-jar", jarPath);
    }

    private static void requireRootAndIp() {
        String uid;
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot run id -u to check for root: " + e.getMessage(), e);
        }
        if (!"0".equals(uid)) {
            throw new AssertionError("this test creates a network namespace and a veth pair: it must run as root (uid is " + uid + ")");
        }
        try {
            new ProcessBuilder("ip", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new AssertionError("this test needs iproute2's ip command (Debian package iproute2), which is missing", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs {@code ip} with the arguments; its output, or an AssertionError with it when it fails. */
    static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Map.Entry<Integer, String> result = run(command);
        if (result.getKey() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.getKey() + "): " + result.getValue());
        }
        return result.getValue();
    }

    private static String ipQuietly(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Map.Entry<Integer, String> result = run(command);
        return result.getKey() == 0 ? result.getValue() : "";
    }

    private static Map.Entry<Integer, String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Map.entry(-1, out + " (timed out)");
            }
            return Map.entry(p.exitValue(), out);
        } catch (IOException e) {
            return Map.entry(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.entry(-1, "interrupted");
        }
    }
}
