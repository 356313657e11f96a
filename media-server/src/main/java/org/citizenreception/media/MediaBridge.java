package org.citizenreception.media;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.NetUtil;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.citizenreception.media.conference.BridgeContext;
import org.citizenreception.media.conference.CascadeLink;
import org.citizenreception.media.conference.CascadeUpstream;
import org.citizenreception.media.conference.Conference;
import org.citizenreception.media.conference.ConferenceClosedException;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.dtls.HandshakeExecutor;
import org.citizenreception.media.ice.IceLiteAgent;
import org.citizenreception.media.stats.EndpointStats;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;
import org.citizenreception.media.transport.EndpointAddressTable;
import org.citizenreception.media.transport.TcpTransport;
import org.citizenreception.media.transport.UdpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media bridge as the embedding application sees it: started once per process, closed once.
 * It knows nothing of sessions or petitions; those live in control-api.
 */
public final class MediaBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaBridge.class);
    private static final int STATS_EVERY_TICKS = 5;
    /** The bind host meaning every address of both families (see {@link #bindTransport}). */
    public static final String ANY_ADDRESS_BOTH_FAMILIES = "::";

    private final MediaBridgeConfig config;
    private final UdpTransport transport;
    /** ICE-TCP, or null when {@link MediaBridgeConfig#tcpPort()} is off. */
    private final TcpTransport tcp;
    private final MediaMetrics metrics;
    /** A thread per handshake in progress, one computing per core: see {@link HandshakeExecutor}. */
    private final HandshakeExecutor dtlsExecutor;
    private final BridgeContext context;
    private final ConcurrentHashMap<String, Conference> conferences = new ConcurrentHashMap<>();
    private final ListenerRelay listener = new ListenerRelay();
    /** The 1 s tick and, since merged keyframe requests come due within the limiter's interval, the 100 ms one. */
    private final BridgeTimers timers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long ticks;

    private MediaBridge(MediaBridgeConfig config, MeterRegistry meters) {
        this.config = config;
        this.metrics = new MediaMetrics(meters);
        IceLiteAgent ice = new IceLiteAgent(metrics);
        EndpointAddressTable addresses = new EndpointAddressTable();
        this.transport = bindTransport(config, metrics, ice, addresses);
        this.tcp = config.tcpPort() == MediaBridgeConfig.TCP_OFF ? null : bindTcp(config, transport, metrics, new TcpMetrics(meters), ice);
        ice.attach(transport);
        this.dtlsExecutor = HandshakeExecutor.forThisMachine(metrics::dtlsHandshake);
        this.context = new BridgeContext(metrics, transport, addresses, ice, DtlsCertificate.generateEcdsa("citizen-reception"),
                dtlsExecutor, candidates(config, transport.localAddress()), System::nanoTime, listener,
                config.consentTimeout().toNanos(), config.keyframeRequestInterval().toNanos(), config.publisherBitrateBps(),
                config.programFollowsDominantSpeaker(), config.interruptAfter().toNanos(), config.retransmissionLimits(),
                tcp == null ? List.of() : candidates(config, tcp.localAddress()));
        this.timers = new BridgeTimers(transport.eventLoop(), metrics, this::tick, this::fastTick);
    }

    /** Binds the UDP port; throws {@link java.io.UncheckedIOException} when it cannot be bound. */
    public static MediaBridge start(MediaBridgeConfig config, MeterRegistry meters) {
        MediaBridge bridge = new MediaBridge(config, meters);
        log.info("media bridge listening on udp {} port {} ({}), advertising {}",
                NetUtil.toAddressString(bridge.localAddress().getAddress()), bridge.localAddress().getPort(),
                bridge.transport.isEpoll() ? "epoll" : "nio", bridge.context.candidates().stream()
                        .map(c -> NetUtil.toAddressString(c.getAddress())).collect(Collectors.joining(", ")));
        if (bridge.tcp != null) {
            log.info("media bridge listening on tcp port {} (ICE-TCP, RFC 4571 framing)", bridge.tcp.localAddress().getPort());
        }
        return bridge;
    }

    /**
     * Binds {@link MediaBridgeConfig#bindHost()}; the default {@value #ANY_ADDRESS_BOTH_FAMILIES}
     * (one socket for IPv4 and IPv6 clients, Linux's default bindv6only=0) falls back to 0.0.0.0
     * on a machine whose kernel has IPv6 turned off.
     */
    private static UdpTransport bindTransport(MediaBridgeConfig config, MediaMetrics metrics, IceLiteAgent ice,
                                              EndpointAddressTable addresses) {
        try {
            return UdpTransport.bind(config.bindHost(), config.port(), metrics, ice, addresses);
        } catch (UncheckedIOException e) {
            if (!ANY_ADDRESS_BOTH_FAMILIES.equals(config.bindHost())) {
                throw e;
            }
            try {
                UdpTransport ipv4Only = UdpTransport.bind("0.0.0.0", config.port(), metrics, ice, addresses);
                log.warn("media: cannot bind udp [::]:{} ({}), serving IPv4 clients only", config.port(), e.getMessage());
                return ipv4Only;
            } catch (UncheckedIOException ipv4Too) {
                e.addSuppressed(ipv4Too);
                throw e;
            }
        }
    }

    /** Like {@link #bindTransport}: the TCP listener on the same host, falling back to IPv4 alone the same way. */
    private static TcpTransport bindTcp(MediaBridgeConfig config, UdpTransport udp, MediaMetrics metrics, TcpMetrics tcpMetrics,
                                        IceLiteAgent ice) {
        String host = udp.localAddress().getAddress().isAnyLocalAddress() && !(udp.localAddress().getAddress() instanceof Inet6Address)
                ? "0.0.0.0" : config.bindHost();
        try {
            return TcpTransport.bind(udp, host, config.tcpPort(), metrics, tcpMetrics, ice);
        } catch (UncheckedIOException e) {
            udp.close();
            throw e;
        }
    }

    /**
     * The advertised addresses as candidates on the bound port, less those of a family the socket
     * cannot serve (an IPv6 address while bound to 0.0.0.0 or an IPv4 one, and the reverse): a
     * client would check them in vain.
     */
    private static List<InetSocketAddress> candidates(MediaBridgeConfig config, InetSocketAddress bound) {
        List<InetSocketAddress> candidates = new ArrayList<>();
        List<String> unservable = new ArrayList<>();
        for (String host : config.advertisedAddresses()) {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("advertisedAddresses has an unresolvable host: " + host, e);
            }
            if (serves(bound.getAddress(), address)) {
                candidates.add(new InetSocketAddress(address, bound.getPort()));
            } else {
                unservable.add(host);
            }
        }
        if (!unservable.isEmpty()) {
            log.warn("media: not advertising {}: the socket is bound to {}, another address family",
                    unservable, NetUtil.toAddressString(bound.getAddress()));
        }
        if (candidates.isEmpty()) {
            candidates.add(bound);
        }
        return List.copyOf(candidates);
    }

    /** An IPv6 socket bound to :: takes both families; any other socket only its own. */
    static boolean serves(InetAddress bound, InetAddress candidate) {
        if (bound instanceof Inet6Address && bound.isAnyLocalAddress()) {
            return true;
        }
        return (bound instanceof Inet6Address) == (candidate instanceof Inet6Address);
    }

    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    /** The ICE-TCP listening address, if TCP is on. */
    public Optional<InetSocketAddress> tcpLocalAddress() {
        return Optional.ofNullable(tcp).map(TcpTransport::localAddress);
    }

    /** ICE-TCP's meters, if TCP is on. */
    public Optional<TcpMetrics> tcpMetrics() {
        return Optional.ofNullable(tcp).map(TcpTransport::metrics);
    }

    public MediaBridgeConfig config() {
        return config;
    }

    /** The listener for connect/disconnect/stats events; replaces the previous one. Null removes it. */
    public void setEventListener(MediaEventListener eventListener) {
        listener.delegate = eventListener == null ? new MediaEventListener() { } : eventListener;
    }

    /**
     * @throws IllegalArgumentException when a conference with that id exists
     */
    public Conference createConference(String conferenceId) {
        if (closed.get()) {
            throw new ConferenceClosedException("media bridge is closed");
        }
        if (conferenceId == null || conferenceId.isBlank()) {
            throw new IllegalArgumentException("conferenceId must be non-blank");
        }
        Conference[] created = new Conference[1];
        conferences.compute(conferenceId, (id, existing) -> {
            if (existing != null) {
                throw new IllegalArgumentException("conferenceId already exists: " + conferenceId);
            }
            created[0] = Conference.create(id, context, () -> conferenceClosed(id));
            return created[0];
        });
        timers.start();
        return created[0];
    }

    public Optional<Conference> conference(String conferenceId) {
        return Optional.ofNullable(conferences.get(conferenceId));
    }

    /**
     * Cascades conference {@code conferenceId} of this bridge from an upstream bridge's conference
     * (see {@link CascadeLink}): the link's two sockets are bound beside this bridge's port, on the
     * same address and event loop. The upstream bridge accepts it with
     * {@link Conference#acceptLink}, in process through {@link CascadeUpstream#inProcess} or over its
     * HTTP API.
     *
     * @throws IllegalArgumentException when no conference has that id
     */
    public CascadeLink linkUpstream(String conferenceId, String linkId, CascadeUpstream upstream) {
        Conference conference = conference(conferenceId)
                .orElseThrow(() -> new IllegalArgumentException("conferenceId names no conference: " + conferenceId));
        String host = NetUtil.toAddressString(transport.localAddress().getAddress());
        return conference.linkUpstream(linkId, upstream,
                (stun, addresses) -> UdpTransport.bindBeside(transport, host, 0, metrics, stun, addresses));
    }

    /** The bridge's meters, for tests and diagnostics. */
    public MediaMetrics metrics() {
        return metrics;
    }

    private void conferenceClosed(String conferenceId) {
        conferences.remove(conferenceId);
        timers.stopIf(conferences::isEmpty);
    }

    /** Whether the periodic tasks are scheduled (only while a conference exists); for tests. */
    boolean isTicking() {
        return timers.isRunning();
    }

    /** Event loop, once a second; one clock read serves every endpoint's reports and deadlines. */
    private void tick() {
        boolean statsDue = ++ticks % STATS_EVERY_TICKS == 0;
        long now = context.nanoClock().getAsLong();
        for (Conference conference : conferences.values()) {
            conference.tick(now, statsDue);
        }
    }

    /** Event loop, every 100 ms. */
    private void fastTick() {
        for (Conference conference : conferences.values()) {
            conference.fastTick();
        }
    }

    /** Idempotent: closes every conference (and so every endpoint), then the socket. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            timers.close();
            for (Conference conference : conferences.values()) {
                conference.close();
            }
            dtlsExecutor.close();
            if (tcp != null) {
                tcp.close();
            }
            transport.close();
            log.info("media bridge closed");
        }
    }

    /** Lets the application set its listener after start; a volatile read per event. */
    private static final class ListenerRelay implements MediaEventListener {
        private volatile MediaEventListener delegate = new MediaEventListener() { };

        @Override
        public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
            delegate.endpointConnected(conferenceId, endpointId, remote);
        }

        @Override
        public void endpointDisconnected(String conferenceId, String endpointId, String reason) {
            delegate.endpointDisconnected(conferenceId, endpointId, reason);
        }

        @Override
        public void endpointInterrupted(String conferenceId, String endpointId, long silentMillis) {
            delegate.endpointInterrupted(conferenceId, endpointId, silentMillis);
        }

        @Override
        public void endpointResumed(String conferenceId, String endpointId, InetSocketAddress remote) {
            delegate.endpointResumed(conferenceId, endpointId, remote);
        }

        @Override
        public void endpointStats(String conferenceId, String endpointId, EndpointStats stats) {
            delegate.endpointStats(conferenceId, endpointId, stats);
        }

        @Override
        public void dominantSpeakerChanged(String conferenceId, String endpointId) {
            delegate.dominantSpeakerChanged(conferenceId, endpointId);
        }
    }
}
