package org.citizenreception.control.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.media.BridgeUnavailableException;
import org.citizenreception.control.media.ConferenceBridge;
import org.citizenreception.control.media.EndpointPlacement;
import org.citizenreception.control.media.SlotFeed;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.conference.ConferenceClosedException;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.sdp.UnsupportedOfferException;
import org.citizenreception.media.stats.EndpointStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conferences on registered bridge processes ({@code media.bridges = "remote"}), driven over their
 * HTTP API ({@link BridgeApi}). Each endpoint is placed by {@link BridgePlacement}; the events bridges
 * post back ({@link #receive}) reach the one {@link MediaEventListener}, but only for endpoints this
 * instance placed on the bridge that posts them. When a bridge dies ({@link BridgeRegistry#onDeath}),
 * each of its endpoints is reported interrupted (since its last heartbeat) and then disconnected with
 * {@link ConferenceBridge#BRIDGE_LOST}: attendance shows one gap per room, and the clients' next offer
 * goes to a live bridge.
 *
 * <p>With {@code cascade} (the default), a session spreads over bridges: its root is the bridge of
 * the session's host room (by {@link BridgePlacement}); the host's stream, the main and content
 * slots' publishers and recording stay on the root; each room's viewer and guest publisher go on the
 * best bridge for the room's own region and load, and the first of them there makes that bridge
 * cascade the conference from the root (its {@code upstream} route; the bridge opens the link to the
 * root itself). A bridge of a region between the room's and the root (a province's between a commune
 * and the centre) is linked in between: the tree follows the room's path, as deep as it has bridges.
 * The floor: a room publishing into the guest slot on a leaf asks for it on its own bridge, which asks
 * up the link; emptying the floor goes to the root. Link endpoints ({@code link:*}) are the bridges'
 * own: their events never reach the listener (nor attendance). Without {@code cascade} a whole
 * conference stays on its root.
 */
public final class RemoteConferenceBridges implements ConferenceBridge {
    private static final Logger log = LoggerFactory.getLogger(RemoteConferenceBridges.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private record Placed(String conferenceId, String bridgeId) {
    }

    /** A bridge cascading a conference: over which link, from which bridge, for which room path. */
    private record Leaf(String linkId, String upstreamBridgeId, List<String> roomPath) {
    }

    private final BridgeRegistry registry;
    private final BridgeToken tokens;
    private final Clock clock;
    private final boolean spreadWithCascade;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = HttpServer.objectMapper();
    private final Map<String, String> rootBridgeOf = new ConcurrentHashMap<>();
    private final Map<String, Placed> endpoints = new ConcurrentHashMap<>();
    /** Per conference, the bridges that cascade it (not its root), by bridge id. */
    private final Map<String, Map<String, Leaf>> leavesOf = new ConcurrentHashMap<>();
    /** Per conference, the guest publisher on a leaf that last asked for the floor: when it ends, the root's floor empties. */
    private final Map<String, String> leafGuestOf = new ConcurrentHashMap<>();
    private volatile MediaEventListener listener = new MediaEventListener() { };

    public RemoteConferenceBridges(BridgeRegistry registry, BridgeToken tokens, Clock clock, boolean spreadWithCascade) {
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
        this.spreadWithCascade = spreadWithCascade;
        registry.onDeath(this::bridgeLost);
    }

    @Override
    public void setEventListener(MediaEventListener listener) {
        this.listener = listener == null ? new MediaEventListener() { } : listener;
    }

    @Override
    public SdpAnswerResult publish(String conferenceId, String endpointId, EndpointPlacement placement, String offer, SlotName slot) {
        return create(conferenceId, endpointId, placement, new BridgeWire.EndpointRequest(endpointId, offer,
                slot.name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public SdpAnswerResult subscribe(String conferenceId, String endpointId, EndpointPlacement placement, String offer,
                                     long offerReceivedNanos) {
        return create(conferenceId, endpointId, placement, new BridgeWire.EndpointRequest(endpointId, offer, null));
    }

    private SdpAnswerResult create(String conferenceId, String endpointId, EndpointPlacement placement,
                                   BridgeWire.EndpointRequest request) {
        BridgeRegistry.Bridge bridge = place(conferenceId, placement, request.slot());
        boolean guest = "guest".equals(request.slot());
        endpoints.put(endpointId, new Placed(conferenceId, bridge.id()));
        HttpResponse<String> r;
        try {
            r = call(bridge, "POST", conferencePath(conferenceId) + "/endpoints", request);
        } catch (BridgeUnavailableException e) {
            endpoints.remove(endpointId);
            throw e;
        }
        if (r.statusCode() == 201) {
            BridgeWire.EndpointAnswer answer = read(r, BridgeWire.EndpointAnswer.class);
            log.info("{}: endpoint {} placed on bridge {}", conferenceId, endpointId, bridge.id());
            if (guest) {
                guestPlaced(conferenceId, endpointId, bridge);
            }
            return new SdpAnswerResult(answer.endpointId(), answer.answer());
        }
        endpoints.remove(endpointId);
        String detail = problemDetail(r);
        switch (r.statusCode()) {
            case 422 -> throw new UnsupportedOfferException(fieldMessage(r).orElse(detail));
            case 400 -> throw fieldMessage(r).filter(UnsupportedOfferException.MALFORMED::equals)
                    .<RuntimeException>map(UnsupportedOfferException::new)
                    .orElseGet(() -> new IllegalArgumentException(detail));
            case 409 -> throw new ConferenceClosedException(detail);
            default -> throw new BridgeUnavailableException("bridge " + bridge.id() + " answered " + r.statusCode() + ": " + detail);
        }
    }

    /**
     * A room's guest publisher on a leaf: its bridge puts it in its own guest slot at once and asks
     * the root for the floor up the link (the root grants it and tells the other bridges). On the root
     * nothing more is needed: the guest slot there is the session's.
     */
    private void guestPlaced(String conferenceId, String endpointId, BridgeRegistry.Bridge bridge) {
        if (bridge.id().equals(rootBridgeOf.get(conferenceId))) {
            leafGuestOf.remove(conferenceId);
            return;
        }
        leafGuestOf.put(conferenceId, endpointId);
        quietly(() -> call(bridge, "PUT", conferencePath(conferenceId) + "/guest", new BridgeWire.GuestRequest(endpointId)));
    }

    /** Where an endpoint goes: see the class comment. {@code slot} is null for a viewer. */
    private synchronized BridgeRegistry.Bridge place(String conferenceId, EndpointPlacement placement, String slot) {
        if (!spreadWithCascade) {
            Optional<BridgeRegistry.Bridge> root = Optional.ofNullable(rootBridgeOf.get(conferenceId)).flatMap(registry::find)
                    .filter(BridgeRegistry.Bridge::alive);
            if (root.isPresent()) {
                return root.get(); // draining keeps the conferences it has: a session is not split without cascade
            }
            BridgeRegistry.Bridge chosen = choose(placement.roomPath());
            rootBridgeOf.put(conferenceId, chosen.id());
            return chosen;
        }
        BridgeRegistry.Bridge root = root(conferenceId, placement);
        boolean onRoot = placement.hostPublisher() || placement.roomPath().isEmpty() || "main".equals(slot) || "content".equals(slot);
        if (onRoot) {
            return root;
        }
        BridgeRegistry.Bridge chosen = choose(placement.roomPath());
        if (chosen.id().equals(root.id())) {
            return root;
        }
        try {
            cascade(conferenceId, chosen, placement.roomPath(), root);
            return chosen;
        } catch (BridgeUnavailableException e) {
            log.warn("{}: bridge {} could not cascade from {} ({}); the endpoint goes on the root", conferenceId, chosen.id(),
                    root.id(), e.getMessage());
            return root;
        }
    }

    private BridgeRegistry.Bridge choose(List<String> roomPath) {
        return BridgePlacement.choose(registry.all(), roomPath)
                .orElseThrow(() -> new BridgeUnavailableException("no media bridge can take an endpoint now"));
    }

    /**
     * The conference's root while it is alive; else (its first endpoint, or the root died) the best
     * bridge for the session's host room, opened there, and every bridge that cascaded from the
     * dead root linked to the new one (its own link closed first if the new root was a leaf).
     */
    private BridgeRegistry.Bridge root(String conferenceId, EndpointPlacement placement) {
        Optional<BridgeRegistry.Bridge> current = Optional.ofNullable(rootBridgeOf.get(conferenceId)).flatMap(registry::find)
                .filter(BridgeRegistry.Bridge::alive);
        if (current.isPresent()) {
            return current.get();
        }
        BridgeRegistry.Bridge root = choose(placement.sessionPath().isEmpty() ? placement.roomPath() : placement.sessionPath());
        Map<String, Leaf> leaves = leavesOf.computeIfAbsent(conferenceId, k -> new ConcurrentHashMap<>());
        if (leaves.remove(root.id()) != null) {
            quietly(() -> call(root, "DELETE", conferencePath(conferenceId) + "/upstream", null));
        }
        HttpResponse<String> opened = call(root, "PUT", conferencePath(conferenceId), null);
        if (opened.statusCode() != 201 && opened.statusCode() != 204) {
            throw new BridgeUnavailableException("bridge " + root.id() + " did not open " + conferenceId + ": " + problemDetail(opened));
        }
        rootBridgeOf.put(conferenceId, root.id());
        log.info("{}: root bridge {}", conferenceId, root.id());
        for (Map.Entry<String, Leaf> leaf : List.copyOf(leaves.entrySet())) {
            boolean orphan = registry.find(leaf.getValue().upstreamBridgeId()).filter(BridgeRegistry.Bridge::alive).isEmpty();
            Optional<BridgeRegistry.Bridge> bridge = registry.find(leaf.getKey()).filter(BridgeRegistry.Bridge::alive);
            if (orphan && bridge.isPresent() && leaves.remove(leaf.getKey(), leaf.getValue())) {
                try {
                    cascade(conferenceId, bridge.get(), leaf.getValue().roomPath(), root);
                } catch (BridgeUnavailableException e) {
                    log.warn("{}: bridge {} could not cascade from the new root {}: {}", conferenceId, leaf.getKey(), root.id(),
                            e.getMessage());
                }
            }
        }
        return root;
    }

    /**
     * Makes {@code bridge} cascade the conference, once: from the next bridge up the room's path that
     * is alive and takes endpoints (itself cascaded first), else from the root.
     */
    private void cascade(String conferenceId, BridgeRegistry.Bridge bridge, List<String> roomPath, BridgeRegistry.Bridge root) {
        Map<String, Leaf> leaves = leavesOf.computeIfAbsent(conferenceId, k -> new ConcurrentHashMap<>());
        if (leaves.containsKey(bridge.id())) {
            return;
        }
        BridgeRegistry.Bridge upstream = root;
        int depth = roomPath.indexOf(bridge.heartbeat().region());
        for (int i = depth < 0 ? roomPath.size() : depth + 1; i < roomPath.size(); i++) {
            String region = roomPath.get(i);
            Optional<BridgeRegistry.Bridge> between = registry.all().stream()
                    .filter(b -> b.alive() && !b.draining() && region.equals(b.heartbeat().region()) && !b.id().equals(bridge.id()))
                    .findFirst();
            if (between.isPresent()) {
                if (!between.get().id().equals(root.id())) {
                    cascade(conferenceId, between.get(), roomPath, root);
                }
                upstream = between.get();
                break;
            }
        }
        String linkId = "l" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        HttpResponse<String> r = call(bridge, "PUT", conferencePath(conferenceId) + "/upstream",
                new BridgeWire.UpstreamRequest(linkId, upstream.id(), upstream.heartbeat().apiUrl()));
        if (r.statusCode() != 204) {
            throw new BridgeUnavailableException("bridge " + bridge.id() + " could not cascade " + conferenceId + " from "
                    + upstream.id() + ": " + problemDetail(r));
        }
        leaves.put(bridge.id(), new Leaf(linkId, upstream.id(), List.copyOf(roomPath)));
        log.info("{}: bridge {} cascades from {} over link {}", conferenceId, bridge.id(), upstream.id(), linkId);
    }

    @Override
    public boolean isOpen(String conferenceId) {
        return bridgeOfConference(conferenceId).map(b -> {
            try {
                return call(b, "GET", conferencePath(conferenceId), null).statusCode() == 200;
            } catch (BridgeUnavailableException e) {
                return false;
            }
        }).orElse(false);
    }

    @Override
    public boolean hasEndpoint(String conferenceId, String endpointId) {
        return endpoints.containsKey(endpointId);
    }

    @Override
    public Optional<String> restartIce(String conferenceId, String endpointId, String offerFragment) {
        Optional<BridgeRegistry.Bridge> bridge = bridgeOfEndpoint(endpointId);
        if (bridge.isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<String> r;
        try {
            r = call(bridge.get(), "PATCH", endpointPath(conferenceId, endpointId), new BridgeWire.IceRestartRequest(offerFragment));
        } catch (BridgeUnavailableException e) {
            return Optional.empty(); // the client then posts a new offer, which goes to a live bridge
        }
        if (r.statusCode() == 200) {
            return Optional.of(read(r, BridgeWire.IceRestartAnswer.class).answer());
        }
        if (r.statusCode() == 400) {
            throw new IllegalArgumentException(fieldMessage(r).orElse(problemDetail(r)));
        }
        return Optional.empty();
    }

    @Override
    public void answerSent(String conferenceId, String endpointId) {
        bridgeOfEndpoint(endpointId).ifPresent(b -> quietly(() -> call(b, "POST", endpointPath(conferenceId, endpointId) + "/answer-sent", null)));
    }

    @Override
    public boolean closeEndpoint(String conferenceId, String endpointId) {
        Optional<BridgeRegistry.Bridge> bridge = bridgeOfEndpoint(endpointId);
        if (bridge.isEmpty()) {
            return false;
        }
        try {
            int status = call(bridge.get(), "DELETE", endpointPath(conferenceId, endpointId), null).statusCode();
            leafGuestEnded(conferenceId, endpointId);
            if (status != 204) {
                log.warn("{}: bridge {} answered {} to closing endpoint {}", conferenceId, bridge.get().id(), status, endpointId);
                endpoints.remove(endpointId);
            }
            return status == 204;
        } catch (BridgeUnavailableException e) {
            log.warn("{}: endpoint {} could not be closed on bridge {}: {}", conferenceId, endpointId, bridge.get().id(), e.getMessage());
            return false;
        }
    }

    @Override
    public void pinLayer(String conferenceId, String endpointId, int layerIndex) {
        bridgeOfEndpoint(endpointId).ifPresent(b -> quietly(() -> call(b, "PUT", endpointPath(conferenceId, endpointId) + "/layer",
                new BridgeWire.LayerRequest(layerIndex))));
    }

    /** Asked of the endpoint's bridge: the wall shows the layer each room is sent, wherever it is. */
    @Override
    public Optional<LayerReading> layerOf(String conferenceId, String endpointId) {
        Optional<BridgeRegistry.Bridge> bridge = bridgeOfEndpoint(endpointId);
        if (bridge.isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> r = call(bridge.get(), "GET", endpointPath(conferenceId, endpointId) + "/layer", null);
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            BridgeWire.LayerReading reading = read(r, BridgeWire.LayerReading.class);
            return Optional.of(new LayerReading(reading.layer() == null ? java.util.OptionalInt.empty()
                    : java.util.OptionalInt.of(reading.layer()), reading.estimateBps()));
        } catch (BridgeUnavailableException e) {
            return Optional.empty();
        }
    }

    /** A floor given goes to the guest's own bridge (a leaf asks up its link); an emptied floor to the root. */
    @Override
    public void setGuest(String conferenceId, String endpointIdOrNull) {
        Optional<BridgeRegistry.Bridge> bridge = endpointIdOrNull == null ? bridgeOfConference(conferenceId)
                : bridgeOfEndpoint(endpointIdOrNull).or(() -> bridgeOfConference(conferenceId));
        bridge.ifPresent(b -> call(b, "PUT", conferencePath(conferenceId) + "/guest", new BridgeWire.GuestRequest(endpointIdOrNull)));
    }

    @Override
    public Optional<SlotFeed> record(String conferenceId, SlotName slot, InetSocketAddress audioRtp, InetSocketAddress videoRtp) {
        Optional<BridgeRegistry.Bridge> bridge = bridgeOfConference(conferenceId);
        if (bridge.isEmpty()) {
            return Optional.empty();
        }
        HttpResponse<String> r = call(bridge.get(), "POST", conferencePath(conferenceId) + "/recordings",
                new BridgeWire.RecordingRequest(slot.name().toLowerCase(Locale.ROOT), hostPort(audioRtp), hostPort(videoRtp)));
        if (r.statusCode() != 201) {
            return Optional.empty();
        }
        BridgeWire.RecordingStatus status = read(r, BridgeWire.RecordingStatus.class);
        return Optional.of(new RemoteSlotFeed(bridge.get().id(), conferencePath(conferenceId) + "/recordings/" + status.recordingId()));
    }

    /** The leaves first (each closes its link on its upstream), then the root. */
    @Override
    public void closeConference(String conferenceId) {
        leafGuestOf.remove(conferenceId);
        Map<String, Leaf> leaves = leavesOf.remove(conferenceId);
        if (leaves != null) {
            leaves.keySet().forEach(id -> registry.find(id).filter(BridgeRegistry.Bridge::alive)
                    .ifPresent(b -> quietly(() -> call(b, "DELETE", conferencePath(conferenceId), null))));
        }
        String root = rootBridgeOf.remove(conferenceId);
        if (root != null) {
            registry.find(root).filter(BridgeRegistry.Bridge::alive).ifPresent(b -> quietly(() -> call(b, "DELETE", conferencePath(conferenceId), null)));
        }
    }

    @Override
    public Optional<String> bridgeOf(String conferenceId, String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId)).map(Placed::bridgeId);
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close; its threads are daemons and end with the process.
    }

    /**
     * Events a bridge posted. One naming an endpoint this instance did not place on that bridge is
     * ignored: a bridge speaks only for its own endpoints.
     */
    public void receive(String bridgeId, List<BridgeWire.Event> events) {
        for (BridgeWire.Event e : events) {
            Placed placed = e.endpointId() == null ? null : endpoints.get(e.endpointId());
            if (placed == null || !placed.bridgeId().equals(bridgeId) || !placed.conferenceId().equals(e.conferenceId())) {
                if (!"dominant-speaker".equals(e.type()) || e.endpointId() != null) {
                    continue;
                }
            }
            dispatch(e);
        }
    }

    private void dispatch(BridgeWire.Event e) {
        switch (e.type()) {
            case "connected" -> listener.endpointConnected(e.conferenceId(), e.endpointId(), address(e.remote()));
            case "interrupted" -> listener.endpointInterrupted(e.conferenceId(), e.endpointId(), e.silentMillis() == null ? 0 : e.silentMillis());
            case "resumed" -> listener.endpointResumed(e.conferenceId(), e.endpointId(), address(e.remote()));
            case "disconnected" -> {
                endpoints.remove(e.endpointId());
                leafGuestEnded(e.conferenceId(), e.endpointId());
                listener.endpointDisconnected(e.conferenceId(), e.endpointId(), e.reason() == null ? "closed" : e.reason());
            }
            case "stats" -> {
                BridgeWire.Stats s = e.stats();
                if (s != null) {
                    listener.endpointStats(e.conferenceId(), e.endpointId(), new EndpointStats(s.packetsReceived(), s.bytesReceived(),
                            s.packetsSent(), s.bytesSent(), s.packetsLost(), s.roundTripMillis(), s.bitrateReceivedBps(), s.bitrateSentBps()));
                }
            }
            case "dominant-speaker" -> listener.dominantSpeakerChanged(e.conferenceId(), e.endpointId());
            default -> log.debug("unknown bridge event type {}", e.type());
        }
    }

    /** A bridge died: its endpoints were last heard at its last heartbeat; each is a gap, then gone. */
    private void bridgeLost(BridgeRegistry.Bridge dead) {
        long silentMillis = Math.max(0, Duration.between(dead.lastHeartbeatAt(), clock.instant()).toMillis());
        rootBridgeOf.values().removeIf(dead.id()::equals);
        leavesOf.forEach((conferenceId, leaves) -> {
            Leaf leaf = leaves.remove(dead.id());
            if (leaf != null) {
                // the dead leaf's link endpoints on its upstream would wait for consent that never comes
                registry.find(leaf.upstreamBridgeId()).filter(BridgeRegistry.Bridge::alive).ifPresent(up ->
                        quietly(() -> call(up, "DELETE", conferencePath(conferenceId) + "/links/" + leaf.linkId(), null)));
            }
        });
        int moved = 0;
        for (Map.Entry<String, Placed> entry : endpoints.entrySet()) {
            if (!entry.getValue().bridgeId().equals(dead.id()) || !endpoints.remove(entry.getKey(), entry.getValue())) {
                continue;
            }
            moved++;
            leafGuestEnded(entry.getValue().conferenceId(), entry.getKey());
            listener.endpointInterrupted(entry.getValue().conferenceId(), entry.getKey(), silentMillis);
            listener.endpointDisconnected(entry.getValue().conferenceId(), entry.getKey(), BRIDGE_LOST);
        }
        log.warn("bridge {} is dead (no heartbeat for {} ms); {} endpoints must reconnect elsewhere", dead.id(), silentMillis, moved);
    }

    /**
     * The floor a leaf's guest publisher held is emptied at the root when that publisher ends: the
     * root's guest slot would otherwise keep showing the silent link from that leaf.
     */
    private void leafGuestEnded(String conferenceId, String endpointId) {
        if (conferenceId != null && leafGuestOf.remove(conferenceId, endpointId)) {
            bridgeOfConference(conferenceId).ifPresent(root -> quietly(() -> call(root, "PUT", conferencePath(conferenceId) + "/guest",
                    new BridgeWire.GuestRequest(null))));
        }
    }

    private Optional<BridgeRegistry.Bridge> bridgeOfEndpoint(String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId)).flatMap(p -> registry.find(p.bridgeId())).filter(BridgeRegistry.Bridge::alive);
    }

    private Optional<BridgeRegistry.Bridge> bridgeOfConference(String conferenceId) {
        return Optional.ofNullable(rootBridgeOf.get(conferenceId)).flatMap(registry::find).filter(BridgeRegistry.Bridge::alive);
    }

    private HttpResponse<String> call(BridgeRegistry.Bridge bridge, String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bridge.heartbeat().apiUrl()).resolve(path))
                    .timeout(CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + tokens.mint(bridge.id(), BridgeToken.TO_BRIDGE, clock.instant()));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            registry.declareDead(bridge.id());
            throw new BridgeUnavailableException("bridge " + bridge.id() + " refused the connection: its process is gone", e);
        } catch (IOException e) {
            throw new BridgeUnavailableException("bridge " + bridge.id() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeUnavailableException("interrupted while calling bridge " + bridge.id(), e);
        }
    }

    private <T> T read(HttpResponse<String> r, Class<T> type) {
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw new BridgeUnavailableException("a bridge answered what is not a " + type.getSimpleName(), e);
        }
    }

    private String problemDetail(HttpResponse<String> r) {
        try {
            return json.readTree(r.body()).path("detail").asText("HTTP " + r.statusCode());
        } catch (IOException e) {
            return "HTTP " + r.statusCode();
        }
    }

    /** The first field error's message of a problem+json answer. */
    private Optional<String> fieldMessage(HttpResponse<String> r) {
        try {
            JsonNode errors = json.readTree(r.body()).path("errors");
            return errors.isArray() && !errors.isEmpty() ? Optional.of(errors.get(0).path("message").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String conferencePath(String conferenceId) {
        return BridgeApi.PREFIX + "/conferences/" + conferenceId;
    }

    private static String endpointPath(String conferenceId, String endpointId) {
        return conferencePath(conferenceId) + "/endpoints/" + endpointId;
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static InetSocketAddress address(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (BridgeUnavailableException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** A recording feed on a remote bridge; its counters are fetched at most twice a second (the watchdog reads them once a second). */
    private final class RemoteSlotFeed implements SlotFeed {
        private final String bridgeId;
        private final String path;
        private BridgeWire.RecordingStatus last = new BridgeWire.RecordingStatus("", 0, 0, false, -1);
        private long lastFetchedNanos;
        private long fetchedAtNanos;
        private volatile boolean closed;

        RemoteSlotFeed(String bridgeId, String path) {
            this.bridgeId = bridgeId;
            this.path = path;
        }

        private synchronized BridgeWire.RecordingStatus status() {
            long now = System.nanoTime();
            if (!closed && (lastFetchedNanos == 0 || now - lastFetchedNanos > 500_000_000L)) {
                lastFetchedNanos = now;
                registry.find(bridgeId).filter(BridgeRegistry.Bridge::alive).ifPresent(b -> {
                    try {
                        HttpResponse<String> r = call(b, "GET", path, null);
                        if (r.statusCode() == 200) {
                            last = read(r, BridgeWire.RecordingStatus.class);
                            fetchedAtNanos = System.nanoTime();
                        }
                    } catch (BridgeUnavailableException e) {
                        log.warn("{}", e.getMessage());
                    }
                });
            }
            return last;
        }

        @Override
        public long packetsSent() {
            return status().packetsSent();
        }

        @Override
        public long firstPacketUnixMillis() {
            return status().firstPacketUnixMillis();
        }

        @Override
        public boolean hasVideo() {
            return status().hasVideo();
        }

        @Override
        public synchronized long lastPacketNanos() {
            BridgeWire.RecordingStatus s = status();
            return s.lastPacketAgoMillis() < 0 ? 0 : fetchedAtNanos - s.lastPacketAgoMillis() * 1_000_000L;
        }

        @Override
        public void requestKeyframe() {
            registry.find(bridgeId).filter(BridgeRegistry.Bridge::alive).ifPresent(b -> quietly(() -> call(b, "POST", path + "/keyframe", null)));
        }

        @Override
        public void close() {
            closed = true;
            registry.find(bridgeId).filter(BridgeRegistry.Bridge::alive).ifPresent(b -> quietly(() -> call(b, "DELETE", path, null)));
        }
    }
}
