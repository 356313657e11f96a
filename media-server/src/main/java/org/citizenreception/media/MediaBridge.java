package org.citizenreception.media;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.citizenreception.media.transport.UdpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media bridge as the embedding application sees it: started once per process, closed once.
 * It knows nothing of sessions or petitions; those live in control-api.
 */
public final class MediaBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaBridge.class);

    private final MediaBridgeConfig config;
    private final UdpTransport transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MediaBridge(MediaBridgeConfig config, UdpTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    /** Binds the UDP port; throws {@link java.io.UncheckedIOException} when it cannot be bound. */
    public static MediaBridge start(MediaBridgeConfig config, MeterRegistry meters) {
        org.citizenreception.media.stats.MediaMetrics metrics = new org.citizenreception.media.stats.MediaMetrics(meters);
        org.citizenreception.media.ice.IceLiteAgent ice = new org.citizenreception.media.ice.IceLiteAgent(metrics);
        UdpTransport transport = UdpTransport.bind(config.bindHost(), config.port(), metrics, ice,
                new org.citizenreception.media.transport.EndpointAddressTable());
        ice.attach(transport);
        log.info("media bridge listening on udp {} advertising {}", transport.localAddress(), config.advertisedAddresses());
        return new MediaBridge(config, transport);
    }

    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    public MediaBridgeConfig config() {
        return config;
    }

    /** Idempotent: closes every endpoint, then the socket. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            transport.close();
            log.info("media bridge closed");
        }
    }
}
