package org.citizenreception.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.conference.CascadeUpstream;

/**
 * A sweep bridge in a JVM of its own ({@link BridgeProcessMain}), started with this JVM's class
 * path; requests go one at a time (viewers join from several threads). Its stderr goes to
 * {@code log}. BRIDGE_JAVA_OPTS (environment, space-separated) are added to its JVM options.
 */
final class ChildProcessBridge implements SweepBridge {
    private final String name;
    private final Process process;
    private final PrintWriter requests;
    private final BufferedReader answers;

    private ChildProcessBridge(String name, Process process) {
        this.name = name;
        this.process = process;
        this.requests = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the process; {@link #awaitReady} before the first request. */
    static ChildProcessBridge start(String name, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String extra = System.getenv("BRIDGE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BridgeProcessMain.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ChildProcessBridge(name, process);
    }

    /** Waits for READY (the bridge listens); throws when the process ended first. */
    void awaitReady() {
        String line = readLine();
        if (!"READY".equals(line)) {
            throw new IllegalStateException(name + ": the bridge process did not start (" + line + "); see its log");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized String publish(String endpointId, String sdpOffer) {
        return BridgeProcessMain.decode(request("publish " + endpointId + " " + BridgeProcessMain.encode(sdpOffer))[1]);
    }

    @Override
    public synchronized String subscribe(String endpointId, String sdpOffer) {
        return BridgeProcessMain.decode(request("subscribe " + endpointId + " " + BridgeProcessMain.encode(sdpOffer))[1]);
    }

    @Override
    public synchronized CascadeUpstream.Answers acceptLink(String linkId, String downOffer, String upOffer) {
        String[] ok = request("accept " + linkId + " " + BridgeProcessMain.encode(downOffer) + " "
                + BridgeProcessMain.encode(upOffer));
        return new CascadeUpstream.Answers(BridgeProcessMain.decode(ok[1]), BridgeProcessMain.decode(ok[2]));
    }

    @Override
    public synchronized void linkUpstream(String linkId, SweepBridge upstream) {
        requests.println("link " + linkId);
        String[] open = readLine().split(" ");
        if (!open[0].equals("OPEN")) {
            throw new IllegalStateException(name + ": " + String.join(" ", open));
        }
        try {
            CascadeUpstream.Answers answers = upstream.acceptLink(open[1], BridgeProcessMain.decode(open[2]),
                    BridgeProcessMain.decode(open[3]));
            requests.println("ANSWERS " + BridgeProcessMain.encode(answers.down()) + " " + BridgeProcessMain.encode(answers.up()));
        } catch (RuntimeException e) {
            requests.println("FAIL " + e.getMessage());
            throw e;
        }
        expectOk(readLine());
    }

    @Override
    public synchronized BridgeSample sample() {
        String line = String.join(" ", request("sample"));
        return BridgeSample.decode(line.substring("OK ".length()));
    }

    @Override
    public void close() {
        requests.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    private String[] request(String line) {
        requests.println(line);
        String answer = readLine();
        expectOk(answer);
        return answer.split(" ");
    }

    private void expectOk(String answer) {
        if (!answer.equals("OK") && !answer.startsWith("OK ")) {
            throw new IllegalStateException(name + ": " + answer);
        }
    }

    private String readLine() {
        try {
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException(name + ": the bridge process ended; see its log");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
