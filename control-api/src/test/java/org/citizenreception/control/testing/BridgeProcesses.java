package org.citizenreception.control.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.control.Main;

/**
 * Media bridges as processes of their own for tests: each a JVM on the test classpath running
 * {@link Main} with {@code bridge.role = bridge}, its API and UDP ports chosen by the kernel, on
 * loopback, registering with the control-api at {@code controlPort}. Closing kills what is left.
 */
public final class BridgeProcesses implements AutoCloseable {
    /** One bridge process, its output kept for failure messages. */
    public record Bridge(String id, Process process, List<String> lines) {
        public String output() {
            synchronized (lines) {
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            }
        }

        /** SIGKILL: no goodbye, no last heartbeat. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private final int controlPort;
    private final String secret;
    private final Path dir;
    private final List<Bridge> started = new ArrayList<>();

    public BridgeProcesses(int controlPort, String secret, Path dir) {
        this.controlPort = controlPort;
        this.secret = secret;
        this.dir = dir;
    }

    public Bridge start(String id, String region, int capacity) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--bridge.role=bridge", "--bridge.id=" + id, "--bridge.region=" + region, "--bridge.capacity=" + capacity,
                "--bridge.control-url=http://127.0.0.1:" + controlPort, "--bridge.secret=" + secret,
                "--bridge.api-host=127.0.0.1", "--bridge.api-port=0",
                "--media.bind-host=127.0.0.1", "--media.port=0", "--media.advertised-addresses=127.0.0.1",
                "--data.dir=" + dir.resolve(id));
        return launch(id, command);
    }

    /**
     * A bridge in network namespace {@code namespace} (see {@link BridgeNetwork}), on {@code address}
     * there: its API on port {@value #NAMESPACE_API_PORT} of that address (the namespace has its own
     * ports), its media on a port the kernel chooses; it registers with control-api at {@code controlHost}.
     */
    public Bridge startInNamespace(String id, String region, int capacity, String namespace, String address, String controlHost)
            throws IOException {
        List<String> command = List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--bridge.role=bridge", "--bridge.id=" + id, "--bridge.region=" + region, "--bridge.capacity=" + capacity,
                "--bridge.control-url=http://" + controlHost + ":" + controlPort, "--bridge.secret=" + secret,
                "--bridge.api-host=" + address, "--bridge.api-port=" + NAMESPACE_API_PORT,
                "--bridge.api-url=http://" + address + ":" + NAMESPACE_API_PORT,
                "--media.bind-host=" + address, "--media.port=0", "--media.advertised-addresses=" + address,
                "--data.dir=" + dir.resolve(id));
        return launch(id, command);
    }

    /** The API port of a bridge in a namespace of its own. */
    public static final int NAMESPACE_API_PORT = 8090;

    private Bridge launch(String id, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, id + "-output");
        reader.setDaemon(true);
        reader.start();
        Bridge bridge = new Bridge(id, process, lines);
        started.add(bridge);
        return bridge;
    }

    /** The bridge started with {@code id}. */
    public Bridge started(String id) {
        return started.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        started.forEach(b -> b.process().destroyForcibly());
    }
}
