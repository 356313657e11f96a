package org.citizenreception.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged server as a real child process, the way the README's run command does, and
 * checks what an operator sees: health, metrics, the held UDP port, the first credentials, and a
 * clean exit on SIGTERM.
 */
class ServerProcessIT {
    private static final Path JAR = Path.of("target", "reception-control-api.jar").toAbsolutePath();
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Main's welcome text: "  Web UI:   http://localhost:PORT/" and "  Media:    udp PORT, advertising …". */
    static final Pattern WEB_UI = Pattern.compile("^\\s*Web UI:\\s+http://localhost:(\\d+)/");
    static final Pattern MEDIA = Pattern.compile("^\\s*Media:\\s+udp (\\d+),");

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void theServerAnswersHealthAndMetricsHoldsItsUdpPortAndStopsCleanlyOnSigterm() throws Exception {
        Running server = start("--http.port=0", "--media.port=0", "--data.dir=" + dataDir);
        int httpPort = server.awaitPort(WEB_UI);
        int mediaPort = server.awaitPort(MEDIA);

        HttpResponse<String> health = waitForHealth(httpPort, server);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"version\"").contains("\"uptimeSeconds\"");

        String metrics = get(httpPort, "/metrics").body();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("process_uptime_seconds").contains("process_cpu_usage");
        // the domain gauges read the new database: nothing live, no petition (values, not only names)
        assertThat(metrics).containsPattern("(?m)^reception_api_sessions_live 0\\.0$")
                .containsPattern("(?m)^reception_api_rooms_connected 0\\.0$")
                .containsPattern("(?m)^reception_api_petitions_overdue 0\\.0$")
                .doesNotContainPattern("(?m)^reception_.* NaN$");

        try (DatagramSocket probe = new DatagramSocket(null)) {
            boolean held = false;
            try {
                probe.bind(new InetSocketAddress("0.0.0.0", mediaPort));
            } catch (BindException expected) {
                held = true;
            }
            assertThat(held).as("udp port %d is held by the server", mediaPort).isTrue();
        }
        // The data are in the store the run uses: the SQLite file in the data folder, or a PostgreSQL database (and then no file).
        assertThat(Files.exists(dataDir.resolve("reception.db"))).isEqualTo(!TestStore.postgresql());
        assertThat(server.output()).anyMatch(l -> l.contains("user:") && l.contains("admin"));
        assertThat(server.output()).anyMatch(l -> l.contains("password:"));

        server.process.destroy(); // SIGTERM
        assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s").isTrue();
        assertThat(server.process.exitValue()).isZero();
    }

    @Test
    void aSecondStartOnTheSameDataReusesTheDatabaseAndPrintsNoNewCredentials() throws Exception {
        Running first = start("--http.port=0", "--media.port=0", "--data.dir=" + dataDir);
        waitForHealth(first.awaitPort(WEB_UI), first);
        first.process.destroy();
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.output()).anyMatch(l -> l.contains("password:"));

        Running second = start("--http.port=0", "--media.port=0", "--data.dir=" + dataDir);
        waitForHealth(second.awaitPort(WEB_UI), second);
        second.process.destroy();
        assertThat(second.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.output()).noneMatch(l -> l.contains("password:"));
    }

    @Test
    void theAdminPasswordComesFromTheEnvironmentWhenSetAndIsNeverEchoed() throws Exception {
        Running server = start(List.of("RECEPTION_ADMIN_PASSWORD", "Chosen-by-the-IT-officer-1"),
                "--http.port=0", "--media.port=0", "--data.dir=" + dataDir);
        int httpPort = server.awaitPort(WEB_UI);
        waitForHealth(httpPort, server);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"Chosen-by-the-IT-officer-1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        server.process.destroy();
        server.process.waitFor(10, TimeUnit.SECONDS);
        // The operator chose it: it is never echoed to a console that ends up in service logs.
        assertThat(server.output()).anyMatch(l -> l.contains("RECEPTION_ADMIN_PASSWORD") && l.contains("not shown"));
        assertThat(server.output()).noneMatch(l -> l.contains("Chosen-by-the-IT-officer-1"));
    }

    @Test
    void aBadValueStopsTheStartWithOneLineAndNoStackTrace() throws Exception {
        Running server = start("--http.port=eighty", "--data.dir=" + dataDir);
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isEqualTo(2);
        server.drained();
        assertThat(server.output()).containsExactly(
                "Cannot start: configuration key 'http.port' has value 'eighty': expected a port number 0..65535");
    }

    @Test
    void aPortAlreadyInUseIsReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Running server = start("--http.port=" + taken.getLocalPort(), "--media.port=0", "--data.dir=" + dataDir);
            assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process.exitValue()).isEqualTo(1);
            server.drained();
            assertThat(server.output()).anyMatch(l -> l.startsWith("Cannot start:"));
            assertThat(server.output()).noneMatch(l -> l.trim().startsWith("at "));
        }
        try (DatagramSocket taken = new DatagramSocket(0)) {
            Running server = start("--http.port=0", "--media.port=" + taken.getLocalPort(), "--data.dir=" + dataDir);
            assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process.exitValue()).isEqualTo(1);
            server.drained();
            assertThat(server.output()).anyMatch(l -> l.startsWith("Cannot start:") && l.contains("udp"));
        }
    }

    private record Running(Process process, List<String> lines, Thread reader) {
        List<String> output() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        void drained() throws InterruptedException {
            reader.join(5000);
        }

        /**
         * The port the server printed in its welcome text: it binds port 0 and reports what the kernel
         * gave it, so no other process can take the port between choosing and binding it.
         */
        int awaitPort(Pattern line) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                for (String l : output()) {
                    Matcher m = line.matcher(l);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("server exited before printing " + line + ": " + output());
                }
                synchronized (lines) {
                    lines.wait(200);
                }
            }
            throw new AssertionError("no " + line + " within 90 s: " + output());
        }
    }

    private Running start(String... args) throws IOException {
        return start(List.of(), args);
    }

    private Running start(List<String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        Collections.addAll(command, args);
        // The store the run uses (-Dreception.test.store): the data folder names its PostgreSQL database, so a restart finds it again.
        command.addAll(TestStore.serverArguments(dataDir));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO_ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("RECEPTION_ADMIN_PASSWORD");
        for (int i = 0; i < env.size(); i += 2) {
            builder.environment().put(env.get(i), env.get(i + 1));
        }
        Process process = builder.start();
        processes.add(process);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Running(process, lines, reader);
    }

    private HttpResponse<String> waitForHealth(int port, Running server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.process.isAlive()) {
                throw new AssertionError("server exited early: " + server.output());
            }
            try {
                return get(port, "/health");
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no /health answer within 60 s: " + server.output());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
