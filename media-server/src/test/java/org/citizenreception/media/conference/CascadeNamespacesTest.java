package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.citizenreception.media.testing.CascadeNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The issue's own scene: three bridge processes ({@link CascadeNode}), each in its own network
 * namespace with an address the test assigns (198.18.0.1-3 on veth pairs into a fourth namespace
 * that switches between them), one session cascaded root -> leaf a and root -> leaf b over HTTP
 * signalling and WebRTC links; the host publishes on the root, 30 viewers on the two leaves (14
 * lightweight ones and one libwebrtc decoder on each) receive its video, and a room on leaf a given
 * the floor is decoded on the root and on leaf b. Needs root (ip netns); skipped otherwise.
 */
class CascadeNamespacesTest {
    private static final long TIMEOUT_MILLIS = 90_000;
    private final String suffix = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    private final List<String> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        // leaves first, so each can still close its link at the root
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).quit();
        }
        for (String namespace : namespaces) {
            run("ip", "netns", "del", namespace);
        }
    }

    @Test
    void thirtyViewersOnTwoLeafBridgesReceiveTheHostAndALeafRoomCrossesTheCascadeBothWays() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        assumeTrue(run("ip", "netns", "list") == 0, "no ip netns here");
        String sw = namespace("crl-sw-");
        check(run("ip", "-n", sw, "link", "add", "br0", "type", "bridge"));
        check(run("ip", "-n", sw, "link", "set", "br0", "up"));
        Node root = node(sw, "r", "198.18.0.1");
        Node a = node(sw, "a", "198.18.0.2");
        Node b = node(sw, "b", "198.18.0.3");

        root.command("publish host main");
        a.command("link a http://198.18.0.1:8080");
        b.command("link b http://198.18.0.1:8080");
        a.command("view 14");
        b.command("view 14");
        a.command("decode dec-a");
        b.command("decode dec-b");
        root.command("decode dec-root");
        for (Node leaf : List.of(a, b)) {
            String decoder = "dec-" + leaf.name + ".main";
            Map<String, String> stats = leaf.awaitStats("14 viewers with a keyframe and a decoder on the host",
                    s -> number(s, "keyframes") == 14 && number(s, "leastPackets") > 100 && number(s, decoder) > 30);
            System.out.println("leaf " + leaf.name + ": " + stats);
        }

        a.command("publish room-a guest");
        a.command("floor room-a");
        Map<String, String> atRoot = root.awaitStats("the root decodes room a's video",
                s -> number(s, "dec-root.guest") > 30 && "link:a:up-video".equals(s.get("guestSource")));
        Map<String, String> atB = b.awaitStats("leaf b decodes room a's video", s -> number(s, "dec-b.guest") > 30);
        System.out.println("root: " + atRoot + "; leaf b: " + atB);
        assertThat(a.awaitStats("leaf a keeps its room", s -> true).get("guestSource")).isEqualTo("room-a-video");
    }

    private static long number(Map<String, String> stats, String key) {
        String value = stats.get(key);
        return value == null ? -1 : Long.parseLong(value);
    }

    private String namespace(String prefix) throws Exception {
        String name = prefix + suffix;
        check(run("ip", "netns", "add", name));
        namespaces.add(name);
        check(run("ip", "-n", name, "link", "set", "lo", "up"));
        return name;
    }

    /** A namespace on the switch with {@code address}/24, and a bridge process in it. */
    private Node node(String sw, String name, String address) throws Exception {
        String ns = namespace("crl-" + name + "-");
        String inside = "cr" + name + suffix;
        String onSwitch = "cs" + name + suffix;
        check(run("ip", "-n", ns, "link", "add", inside, "type", "veth", "peer", "name", onSwitch, "netns", sw));
        check(run("ip", "-n", sw, "link", "set", onSwitch, "master", "br0", "up"));
        check(run("ip", "-n", ns, "addr", "add", address + "/24", "dev", inside));
        check(run("ip", "-n", ns, "link", "set", inside, "up"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Path.of("target", "cascade-namespaces-" + name + ".log");
        Process process = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", classpath,
                "-Dio.netty.leakDetection.level=disabled", CascadeNode.class.getName(), address, "8080")
                .redirectErrorStream(true).start();
        Node node = new Node(name, process, Files.newBufferedWriter(log));
        nodes.add(node);
        node.awaitReply("ready");
        return node;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) {
            System.out.println(String.join(" ", command) + ": " + output);
        }
        return status;
    }

    private static void check(int status) {
        assertThat(status).as("exit status of a setup command").isZero();
    }

    /** One bridge process: commands in on stdin, replies out of its log on stdout. */
    private static final class Node {
        final String name;
        private final Process process;
        private final PrintWriter commands;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        Node(String name, Process process, Writer log) {
            this.name = name;
            this.process = process;
            this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     log) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        log.write(line + "\n");
                        log.flush();
                        if (line.startsWith("@@ ")) {
                            replies.add(line.substring(3));
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "cascade-node-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        String awaitReply(String prefix) throws InterruptedException {
            String reply = replies.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(reply).as("node %s's reply", name).isNotNull().startsWith(prefix);
            return reply;
        }

        void command(String command) throws InterruptedException {
            commands.println(command);
            String reply = awaitReply("");
            assertThat(reply).as("node %s: %s", name, command).doesNotStartWith("error");
        }

        Map<String, String> awaitStats(String what, Predicate<Map<String, String>> condition) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            Map<String, String> stats = Map.of();
            while (System.currentTimeMillis() < deadline) {
                commands.println("stats");
                stats = parse(awaitReply("stats"));
                if (condition.test(stats)) {
                    return stats;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("node " + name + ": " + what + " not within " + TIMEOUT_MILLIS + " ms; last " + stats);
        }

        private static Map<String, String> parse(String line) {
            Map<String, String> values = new HashMap<>();
            for (String part : line.split(" ")) {
                int equals = part.indexOf('=');
                if (equals > 0) {
                    values.put(part.substring(0, equals), part.substring(equals + 1));
                }
            }
            return values;
        }

        void quit() throws InterruptedException {
            commands.println("quit");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
