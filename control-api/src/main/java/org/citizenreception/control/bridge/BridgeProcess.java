package org.citizenreception.control.bridge;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.config.BridgeSettings;
import org.citizenreception.control.config.ReceptionConfig;
import io.javalin.http.ContentType;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.media.EmbeddedConferenceBridge;
import org.citizenreception.control.metrics.MetricsRegistry;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media bridge on its own ({@code bridge.role = "bridge"}): the media server of {@code media.*}
 * (UDP port, advertised addresses), its HTTP API for control-api, and the heartbeat and events back to
 * control-api. No database, no web client, no domain: what it knows of a conference is what control-api
 * told it. Its metrics are on {@code /metrics} of the API port, like control-api's.
 */
public final class BridgeProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeProcess.class);

    private final MetricsRegistry.Bound metrics;
    private final MediaBridge media;
    private final HttpServer http;
    private final ControlLink link;
    private final URI apiUrl;

    private BridgeProcess(MetricsRegistry.Bound metrics, MediaBridge media, HttpServer http, ControlLink link, URI apiUrl) {
        this.metrics = metrics;
        this.media = media;
        this.http = http;
        this.link = link;
        this.apiUrl = apiUrl;
    }

    public static BridgeProcess start(ReceptionConfig config, Clock clock) {
        BridgeSettings settings = config.bridge();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MetricsRegistry.Bound metrics = MetricsRegistry.create();
            started.add(metrics);
            MediaBridge media = MediaBridge.start(new MediaBridgeConfig(config.mediaBindHost(), config.mediaPort(),
                    config.mediaAdvertisedAddresses()).withInterruptAfter(config.mediaInterruptAfter())
                    .withRetransmissionLimits(config.limits().retransmissions()), metrics.registry());
            started.add(media);
            BridgeToken tokens = new BridgeToken(settings.secret());
            EmbeddedConferenceBridge conferences = new EmbeddedConferenceBridge(media);
            RouteModule metricsRoute = routes -> {
                routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "UP", "bridge", settings.id())));
                routes.get("/metrics", ctx -> ctx.contentType(ContentType.PLAIN).result(metrics.registry().scrape()));
            };
            HttpServer http = HttpServer.start(settings.apiHost(), settings.apiPort(), config.maxRequestBytes(), Optional.empty(),
                    List.of(metricsRoute, new BridgeApi(settings.id(), tokens, conferences, clock)), metrics.registry());
            started.add(http);
            URI apiUrl = settings.apiUrl().orElse(URI.create("http://127.0.0.1:" + http.port()));
            String mediaAddress = media.localAddress().getPort() + "";
            String advertised = config.mediaAdvertisedAddresses().isEmpty() ? "127.0.0.1" : config.mediaAdvertisedAddresses().get(0);
            LoadSampler load = new LoadSampler(metrics.registry());
            ControlLink link = new ControlLink(settings.controlUrl(), settings.id(), tokens, clock, () -> {
                LoadSampler.Load now = load.sample();
                return new BridgeWire.Heartbeat(apiUrl.toString(), advertised + ":" + mediaAddress, settings.region(),
                        settings.capacity(), now.endpoints(), now.packetsPerSecond(), now.cpuLoad());
            });
            conferences.setEventListener(link);
            link.start();
            started.add(link);
            log.info("bridge {} (region '{}', capacity {}) serving its API on {}, media on udp {}, registering with {}",
                    settings.id(), settings.region(), settings.capacity(), apiUrl, media.localAddress().getPort(), settings.controlUrl());
            return new BridgeProcess(metrics, media, http, link, apiUrl);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public URI apiUrl() {
        return apiUrl;
    }

    public int mediaPort() {
        return media.localAddress().getPort();
    }

    /** The heartbeats stop first (control-api then places nobody new here), then media, then the API. */
    @Override
    public void close() {
        link.close();
        media.close();
        http.close();
        metrics.close();
    }

    /** Endpoints open, packets per second since the last sample, and the process's CPU use. */
    static final class LoadSampler {
        record Load(int endpoints, long packetsPerSecond, double cpuLoad) {
        }

        private final java.util.function.Supplier<long[]> meters;
        private long lastPackets;
        private long lastNanos = System.nanoTime();

        LoadSampler(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meters = ControlLink.loadFrom(registry);
        }

        synchronized Load sample() {
            long[] now = meters.get();
            long nanos = System.nanoTime();
            long perSecond = nanos > lastNanos ? (now[1] - lastPackets) * 1_000_000_000L / (nanos - lastNanos) : 0;
            lastPackets = now[1];
            lastNanos = nanos;
            double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuLoad() : -1;
            // the first reading of a fresh JVM is NaN or negative: "unknown" then
            return new Load((int) now[0], Math.max(0, perSecond), Double.isNaN(cpu) || cpu < 0 ? -1 : cpu);
        }
    }
}
