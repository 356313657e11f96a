package org.citizenreception.media.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.sdp.MediaKind;

/**
 * One bridge as its own process, for tests that put each bridge in its own network namespace: a
 * {@link MediaBridge} on the given address with conference {@code s}, the one route a bridge's
 * HTTP API needs for cascading ({@code POST /links/{id}} with both offers, {@code DELETE} to close:
 * what {@link CascadeUpstream} carries between processes), and the peers of its site (a host or a
 * room publishing, viewers watching), driven by the test through stdin, one command a line, each
 * answered on stdout with a line starting {@value #REPLY} (the rest of stdout is the bridge's log).
 *
 * <p>Commands: {@code link <id> <upstream http base>}, {@code publish <id> main|guest},
 * {@code floor <id>}, {@code view <count>} (lightweight viewers of the program),
 * {@code decode <id>} (a libwebrtc viewer of both slots), {@code stats}, {@code quit}.
 */
public final class CascadeNode {
    static final String REPLY = "@@ ";
    private static final String SEPARATOR = "\n--up--\n";

    private final MediaBridge bridge;
    private final Conference conference;
    private final PrintStream out;
    private final List<LightweightViewer> viewers = new CopyOnWriteArrayList<>();
    private final Map<String, LibwebrtcPeer> peers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService consent = Executors.newSingleThreadScheduledExecutor();
    private PeerConnectionFactory factory;

    private CascadeNode(String address, PrintStream out) {
        this.out = out;
        bridge = MediaBridge.start(new MediaBridgeConfig(address, 0, List.of(address)), new SimpleMeterRegistry());
        conference = bridge.createConference("s");
        // lightweight viewers answer no consent checks of their own accord: keep them fresh past 30 s
        consent.scheduleAtFixedRate(() -> viewers.forEach(LightweightViewer::refreshConsent), 5, 5, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        String address = args[0];
        int httpPort = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        CascadeNode node = new CascadeNode(address, out);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), httpPort), 16);
        http.createContext("/links/", node::link);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        node.reply("ready " + node.bridge.localAddress());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] command = line.trim().split("\\s+");
            try {
                if (command[0].equals("quit")) {
                    break;
                }
                node.reply(node.run(command));
            } catch (Exception e) {
                node.reply("error " + e);
            }
        }
        http.stop(0);
        node.close();
        System.exit(0);
    }

    private String run(String[] command) throws Exception {
        switch (command[0]) {
            case "link" -> {
                bridge.linkUpstream("s", command[1], new HttpUpstream(command[2]));
                return "linked " + command[1];
            }
            case "publish" -> {
                LibwebrtcPeer publisher = LibwebrtcPeer.publisher(factory(), command[1]);
                peers.put(command[1], publisher);
                SlotName slot = command[2].equals("main") ? SlotName.MAIN : SlotName.GUEST;
                publisher.setAnswer(conference.publish(command[1], publisher.createOffer(), slot).sdpAnswer());
                publisher.startMedia();
                return "publishing " + command[1];
            }
            case "floor" -> {
                conference.setGuest(command[1]);
                return "floor " + command[1];
            }
            case "view" -> {
                int count = Integer.parseInt(command[1]);
                for (int i = 0; i < count; i++) {
                    LightweightViewer viewer = new LightweightViewer(false, InetAddress.getByName(
                            bridge.localAddress().getAddress().getHostAddress()));
                    viewer.connect(conference.subscribe("viewer-" + viewers.size(), viewer.offer()).sdpAnswer());
                    viewers.add(viewer);
                }
                return "viewing " + viewers.size();
            }
            case "decode" -> {
                LibwebrtcPeer viewer = LibwebrtcPeer.viewer(factory(), command[1], 2);
                peers.put(command[1], viewer);
                viewer.setAnswer(conference.subscribe(command[1], viewer.createOffer()).sdpAnswer());
                return "decoding " + command[1];
            }
            case "stats" -> {
                return stats();
            }
            default -> throw new IllegalArgumentException("unknown command " + command[0]);
        }
    }

    /** One line: viewers with a keyframe, the least packets one received, frames each decoder decoded per slot, the guest. */
    private String stats() {
        long withKeyframe = viewers.stream().filter(v -> v.joinToKeyframeNanos() > 0).count();
        long leastPackets = viewers.stream().mapToLong(LightweightViewer::packetsReceived).min().orElse(0);
        StringBuilder line = new StringBuilder("stats viewers=" + viewers.size() + " keyframes=" + withKeyframe
                + " leastPackets=" + leastPackets);
        peers.forEach((id, peer) -> {
            if (peer.track("1") != null) {
                line.append(' ').append(id).append(".main=").append(peer.track("1").frames());
            }
            if (peer.track("3") != null) {
                line.append(' ').append(id).append(".guest=").append(peer.track("3").frames());
            }
        });
        var guest = conference.stage().slot(SlotName.GUEST, MediaKind.VIDEO).source();
        line.append(" guestSource=").append(guest == null ? "none" : guest.id());
        return line.toString();
    }

    private synchronized PeerConnectionFactory factory() {
        if (factory == null) {
            factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        }
        return factory;
    }

    private void link(HttpExchange exchange) throws IOException {
        try (exchange) {
            String linkId = exchange.getRequestURI().getPath().substring("/links/".length());
            byte[] response;
            int status;
            if (exchange.getRequestMethod().equals("POST")) {
                String[] offers = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split(SEPARATOR, 2);
                CascadeUpstream.Answers answers = conference.acceptLink(linkId, offers[0], offers[1]);
                response = (answers.down() + SEPARATOR + answers.up()).getBytes(StandardCharsets.UTF_8);
                status = 201;
            } else if (exchange.getRequestMethod().equals("DELETE")) {
                conference.closeLink(linkId);
                response = new byte[0];
                status = 204;
            } else {
                response = new byte[0];
                status = 405;
            }
            exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(response);
                }
            }
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
        }
    }

    private synchronized void reply(String line) {
        out.println(REPLY + line);
    }

    private void close() {
        consent.shutdownNow();
        viewers.forEach(LightweightViewer::close);
        peers.values().forEach(LibwebrtcPeer::close);
        bridge.close();
        if (factory != null) {
            factory.dispose();
        }
    }

    /** The upstream bridge's link route over HTTP. */
    private static final class HttpUpstream implements CascadeUpstream {
        private final HttpClient client = HttpClient.newHttpClient();
        private final String base;

        HttpUpstream(String base) {
            this.base = base;
        }

        @Override
        public Answers open(String linkId, String downOffer, String upOffer) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/links/" + linkId))
                    .POST(HttpRequest.BodyPublishers.ofString(downOffer + SEPARATOR + upOffer)).build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("upstream refused link " + linkId + ": " + response.statusCode());
                }
                String[] answers = response.body().split(SEPARATOR, 2);
                return new Answers(answers[0], answers[1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close(String linkId) {
            try {
                client.send(HttpRequest.newBuilder(URI.create(base + "/links/" + linkId)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
