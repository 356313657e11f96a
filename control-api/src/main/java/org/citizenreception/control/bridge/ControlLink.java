package org.citizenreception.control.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.stats.EndpointStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone bridge's link back to control-api: the heartbeat (its registration, repeated every
 * {@link #HEARTBEAT_INTERVAL}) and the media events, both as HTTP requests to control-api's
 * {@code /api/v1/bridges/{id}} routes with a {@link BridgeToken}.
 *
 * <p>Why HTTP callbacks rather than a WebSocket or long-poll: the bridge already speaks HTTP to and
 * from control-api, a POST holds no connection state that either side must rebuild after a restart
 * (the next heartbeat simply registers again), and the requests pass control-api's access filter like
 * every other route. Events keep their order: one thread sends them, a batch at a time, and a batch
 * that fails is retried before any later event goes. The queue is bounded: a control-api away for
 * long loses the oldest stats first, never a connect or disconnect unless the bound is reached.
 */
public final class ControlLink implements MediaEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlLink.class);
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** About ten minutes of events of a 500-endpoint bridge's stats; each a few hundred bytes. */
    private static final int MAX_QUEUED_EVENTS = 50_000;
    private static final int MAX_BATCH = 500;
    private static final Duration RETRY_AFTER = Duration.ofMillis(500);

    private final URI controlUrl;
    private final String bridgeId;
    private final BridgeToken tokens;
    private final Clock clock;
    private final Supplier<BridgeWire.Heartbeat> heartbeat;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = HttpServer.objectMapper();
    private final BlockingQueue<BridgeWire.Event> events = new LinkedBlockingQueue<>(MAX_QUEUED_EVENTS);
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("bridge-heartbeat"));
    private final Thread sender;
    private volatile boolean closed;

    public ControlLink(URI controlUrl, String bridgeId, BridgeToken tokens, Clock clock, Supplier<BridgeWire.Heartbeat> heartbeat) {
        this.controlUrl = controlUrl;
        this.bridgeId = bridgeId;
        this.tokens = tokens;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.sender = daemon("bridge-events").newThread(this::sendEvents);
    }

    public void start() {
        sender.start();
        heartbeats.scheduleWithFixedDelay(this::beat, 0, HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            HttpResponse<String> r = send("PUT", "/api/v1/bridges/" + bridgeId, json.writeValueAsString(heartbeat.get()));
            if (r.statusCode() / 100 != 2) {
                log.warn("bridge {}: control-api refused the heartbeat: {} {}", bridgeId, r.statusCode(), r.body());
            }
        } catch (Exception e) {
            log.warn("bridge {}: heartbeat to {} failed: {}", bridgeId, controlUrl, e.toString());
        }
    }

    private void sendEvents() {
        List<BridgeWire.Event> batch = new ArrayList<>();
        while (!closed) {
            try {
                if (batch.isEmpty()) {
                    BridgeWire.Event first = events.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    events.drainTo(batch, MAX_BATCH - 1);
                }
                HttpResponse<String> r = send("POST", "/api/v1/bridges/" + bridgeId + "/events",
                        json.writeValueAsString(new BridgeWire.Events(batch)));
                if (r.statusCode() / 100 == 2) {
                    batch.clear();
                } else if (r.statusCode() / 100 == 4 && r.statusCode() != 401) {
                    log.warn("bridge {}: control-api refused {} events ({}); dropped", bridgeId, batch.size(), r.statusCode());
                    batch.clear();
                } else {
                    Thread.sleep(RETRY_AFTER.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("bridge {}: sending events to {} failed, retrying: {}", bridgeId, controlUrl, e.toString());
                try {
                    Thread.sleep(RETRY_AFTER.toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws java.io.IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(controlUrl.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + tokens.mint(bridgeId, BridgeToken.TO_CONTROL, clock.instant()))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void enqueue(BridgeWire.Event event) {
        if (!events.offer(event)) {
            log.warn("bridge {}: event queue full; {} of {} dropped", bridgeId, event.type(), event.endpointId());
        }
    }

    private static String address(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
        enqueue(new BridgeWire.Event("connected", conferenceId, endpointId, address(remote), null, null, null));
    }

    @Override
    public void endpointDisconnected(String conferenceId, String endpointId, String reason) {
        enqueue(new BridgeWire.Event("disconnected", conferenceId, endpointId, null, reason, null, null));
    }

    @Override
    public void endpointInterrupted(String conferenceId, String endpointId, long silentMillis) {
        enqueue(new BridgeWire.Event("interrupted", conferenceId, endpointId, null, null, silentMillis, null));
    }

    @Override
    public void endpointResumed(String conferenceId, String endpointId, InetSocketAddress remote) {
        enqueue(new BridgeWire.Event("resumed", conferenceId, endpointId, address(remote), null, null, null));
    }

    @Override
    public void endpointStats(String conferenceId, String endpointId, EndpointStats s) {
        enqueue(new BridgeWire.Event("stats", conferenceId, endpointId, null, null, null, new BridgeWire.Stats(s.packetsReceived(),
                s.bytesReceived(), s.packetsSent(), s.bytesSent(), s.packetsLost(), s.roundTripMillis(), s.bitrateReceivedBps(),
                s.bitrateSentBps())));
    }

    @Override
    public void dominantSpeakerChanged(String conferenceId, String endpointId) {
        enqueue(new BridgeWire.Event("dominant-speaker", conferenceId, endpointId, null, null, null, null));
    }

    /** The bridge's load for the heartbeat, read from its meters. */
    public static Supplier<long[]> loadFrom(MeterRegistry meters) {
        return () -> {
            var endpoints = meters.find("reception_media_active_endpoints").gauge();
            var received = meters.find("reception_media_packets_received").counter();
            return new long[] {endpoints == null ? 0 : (long) endpoints.value(), received == null ? 0 : (long) received.count()};
        };
    }

    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        sender.interrupt();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
