package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.testing.LibwebrtcPeer;
import org.citizenreception.media.testing.ViewerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A room behind a firewall that lets no UDP out: a libwebrtc viewer in its own network namespace,
 * whose nftables drop every UDP datagram to the bridge, decodes the publisher's video over ICE-TCP.
 * The viewer is an unmodified libwebrtc peer (it would use UDP if it could); the namespace is joined
 * to the bridge's by a veth pair whose near end is the address the bridge advertises. The viewer runs
 * in a JVM of its own started with {@code ip netns exec}. Needs root, {@code ip} and {@code nft}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewalledViewerOverIceTcpTest {
    private static final String BRIDGE_SIDE = "198.18.8.1";
    private static final String ROOM_SIDE = "198.18.8.2";

    private final String namespace = "fwroom" + ProcessHandle.current().pid() % 100_000;
    private PeerConnectionFactory factory;
    private MediaBridge bridge;
    private LibwebrtcPeer publisher;
    private Process viewer;

    @BeforeAll
    void start() throws Exception {
        String link = "vfw" + ProcessHandle.current().pid() % 100_000;
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", link, "type", "veth", "peer", "name", "room0", "netns", namespace);
        run("ip", "addr", "add", BRIDGE_SIDE + "/30", "dev", link);
        run("ip", "link", "set", link, "up");
        run("ip", "netns", "exec", namespace, "ip", "addr", "add", ROOM_SIDE + "/30", "dev", "room0");
        run("ip", "netns", "exec", namespace, "ip", "link", "set", "room0", "up");
        run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        bridge = MediaBridge.start(new MediaBridgeConfig("0.0.0.0", 0, List.of(BRIDGE_SIDE)).withTcpPort(0),
                new SimpleMeterRegistry());
        // the room's firewall: no UDP at all leaves the namespace (STUN, DTLS, SRTP over UDP all dropped)
        runWithInput("table inet room_firewall {\n chain output {\n  type filter hook output priority 0; policy accept;\n"
                + "  meta l4proto udp ip daddr " + BRIDGE_SIDE + " counter drop\n }\n}\n",
                "ip", "netns", "exec", namespace, "nft", "-f", "-");
    }

    @AfterAll
    void stop() throws Exception {
        if (viewer != null) {
            viewer.destroy();
            if (!viewer.waitFor(10, TimeUnit.SECONDS)) {
                viewer.destroyForcibly();
            }
        }
        if (publisher != null) {
            publisher.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (factory != null) {
            factory.dispose();
        }
        run("ip", "netns", "del", namespace); // the veth pair and the firewall go with it
    }

    @Test
    void aViewerWhoseUdpIsBlockedDecodesVideoOverIceTcp() throws Exception {
        Conference conference = bridge.createConference("session-firewalled");
        publisher = LibwebrtcPeer.publisher(factory, "host");
        publisher.setAnswer(conference.publish("host", publisher.createOffer(), SlotName.MAIN).sdpAnswer());
        publisher.startMedia();

        viewer = new ProcessBuilder("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ViewerProcess.class.getName(), "room-firewalled")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8));
        String offerLine = readLineStartingWith(out, "OFFER ");
        String offer = new String(Base64.getDecoder().decode(offerLine.substring("OFFER ".length())), StandardCharsets.UTF_8);
        String answer = conference.subscribe("room-firewalled", offer).sdpAnswer();
        Writer in = new OutputStreamWriter(viewer.getOutputStream(), StandardCharsets.UTF_8);
        in.write("ANSWER " + Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8)) + "\n");
        in.flush();

        // bounds the wait only: a JVM start, libwebrtc's load, ICE over TCP, DTLS and a keyframe on a loaded machine
        AtomicReference<String> last = new AtomicReference<>("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int frames = 0;
        // the stats can name the selected pair a report or two after the first frames: read on until they do
        while ((frames < 60 || last.get().endsWith(" PATH ")) && System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("FRAMES ")) {
                last.set(line);
                frames = Integer.parseInt(line.split(" ")[1]);
            }
        }
        assertThat(frames).as("frames the firewalled viewer decoded (last report: %s)", last.get()).isGreaterThanOrEqualTo(60);
        // libwebrtc's local side of an active TCP connection shows as peer-reflexive (its port is the kernel's)
        assertThat(last.get()).as("its selected candidate pair").endsWith("/tcp -> host/tcp");
        assertThat(bridge.tcpMetrics().orElseThrow().bytesSentCount()).as("bytes the bridge framed over ICE-TCP")
                .isGreaterThan(50_000);
        String counters = runWithInput("", "ip", "netns", "exec", namespace, "nft", "list", "table", "inet", "room_firewall");
        assertThat(counters).as("the firewall dropped the viewer's UDP attempts").containsPattern("counter packets [1-9]");
    }

    private static String readLineStartingWith(BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("the viewer process ended before printing " + prefix.trim());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        runWithInput(null, command);
    }

    private static String runWithInput(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
