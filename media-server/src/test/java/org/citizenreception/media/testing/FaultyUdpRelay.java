package org.citizenreception.media.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one client and the bridge that plays a bad line: a loss rate, a blackout, a
 * NAT that gives the client a new source port. The client is pointed at the relay by rewriting the
 * port in the bridge's answer ({@link #rewriteAnswer}).
 *
 * <p>Loss is a function of the packet, never of chance: the k-th RTP packet toward the client on an
 * SSRC (and the k-th SRTCP packet in each direction) is dropped when a seeded hash of (SSRC, k) falls
 * under the rate, so two runs with the same seed lose the same packets of each stream whatever the
 * timing. A retransmission is a new arrival, so it is not lost forever. STUN and DTLS are never
 * dropped by the rate (the connection forms as on a real lossy line, where they are retried).
 *
 * <p>A blackout drops every datagram both ways, STUN included, as a cut line does. {@link #rebind}
 * moves the relay's side toward the bridge to a new socket: the bridge then hears the same client
 * from a new source port, as after a NAT rebinding, and the old port falls silent.
 */
public final class FaultyUdpRelay implements AutoCloseable {
    private static final long RTCP_TOWARD_BRIDGE = -1;
    private static final long RTCP_TOWARD_CLIENT = -2;

    private final DatagramSocket clientSide;
    private volatile DatagramSocket bridgeSide;
    private final InetSocketAddress bridge;
    private final String name;
    private volatile int lossPercent;
    private volatile long seed;
    private volatile boolean blackout;
    private volatile SocketAddress client;
    private final Map<Long, AtomicLong> seenByStream = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong blackedOut = new AtomicLong();
    private final AtomicLong deliveredToClient = new AtomicLong();

    public FaultyUdpRelay(InetSocketAddress bridge, String name) {
        this.bridge = bridge;
        this.name = name;
        try {
            clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            clientSide.setReceiveBufferSize(2 * 1024 * 1024);
            bridgeSide = bridgeSocket();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread up = new Thread(this::clientToBridge, name + "-relay-up");
        up.setDaemon(true);
        up.start();
        startDown(bridgeSide);
    }

    private static DatagramSocket bridgeSocket() throws IOException {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setReceiveBufferSize(2 * 1024 * 1024);
        return s;
    }

    private void startDown(DatagramSocket from) {
        Thread down = new Thread(() -> bridgeToClient(from), name + "-relay-down-" + from.getLocalPort());
        down.setDaemon(true);
        down.start();
    }

    /** Drops {@code percent} % of the RTP toward the client and of the SRTCP both ways, chosen by {@code seed}. */
    public FaultyUdpRelay loss(int percent, long seed) {
        if (percent < 0 || percent >= 100) {
            throw new IllegalArgumentException("percent must be 0..99, was " + percent);
        }
        this.seed = seed;
        this.lossPercent = percent;
        return this;
    }

    /** Starts or ends a blackout: while on, nothing passes either way. */
    public void blackout(boolean on) {
        blackout = on;
    }

    /**
     * The client's traffic leaves from a new source port from now on (a NAT rebinding); what the
     * bridge still sends to the old port is lost, as a NAT would drop it.
     */
    public void rebind() {
        DatagramSocket old = bridgeSide;
        try {
            DatagramSocket next = bridgeSocket();
            startDown(next);
            bridgeSide = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        old.close();
    }

    /** The port the bridge hears this client from now. */
    public int bridgeSidePort() {
        return bridgeSide.getLocalPort();
    }

    /** The bridge's answer with its port replaced by the relay's. */
    public String rewriteAnswer(String answer) {
        int bridgePort = bridge.getPort();
        int relayPort = clientSide.getLocalPort();
        return answer.replace(" " + bridgePort + " ", " " + relayPort + " ")
                .replace("a=rtcp:" + bridgePort + " ", "a=rtcp:" + relayPort + " ");
    }

    private void clientToBridge() {
        byte[] buf = new byte[2048];
        while (!clientSide.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                clientSide.receive(packet);
                client = packet.getSocketAddress();
                int length = packet.getLength();
                if (blackout) {
                    blackedOut.incrementAndGet();
                    continue;
                }
                if (isRtcp(buf, length) && lost(RTCP_TOWARD_BRIDGE)) {
                    continue;
                }
                DatagramSocket out = bridgeSide;
                try {
                    out.send(new DatagramPacket(buf, length, bridge));
                } catch (IOException e) {
                    if (!out.isClosed()) {
                        throw e;
                    }
                    // swapped by rebind() between reading the field and sending: lost, as in a real rebinding
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void bridgeToClient(DatagramSocket from) {
        byte[] buf = new byte[2048];
        while (!from.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                from.receive(packet);
                int length = packet.getLength();
                SocketAddress to = client;
                if (blackout) {
                    blackedOut.incrementAndGet();
                    continue;
                }
                if (isRtp(buf, length) && lost(ssrc(buf))) {
                    continue;
                }
                if (isRtcp(buf, length) && lost(RTCP_TOWARD_CLIENT)) {
                    continue;
                }
                if (to != null) {
                    clientSide.send(new DatagramPacket(buf, length, to));
                    if (isRtp(buf, length)) {
                        deliveredToClient.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Whether the next packet of {@code stream} is one the rate loses: a seeded hash of (stream, index), not chance. */
    private boolean lost(long stream) {
        int percent = lossPercent;
        if (percent == 0) {
            return false;
        }
        long index = seenByStream.computeIfAbsent(stream, k -> new AtomicLong()).getAndIncrement();
        long h = (stream * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL) ^ seed;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        if (Math.floorMod(h, 100L) < percent) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    private static long ssrc(byte[] rtp) {
        return ((rtp[8] & 0xFFL) << 24) | ((rtp[9] & 0xFF) << 16) | ((rtp[10] & 0xFF) << 8) | (rtp[11] & 0xFF);
    }

    /** RFC 7983: first byte 128..191 is RTP/RTCP; RTCP packet types 192..223 (RFC 5761). */
    private static boolean isRtp(byte[] datagram, int length) {
        return length >= 12 && isRtpOrRtcp(datagram) && !rtcpType(datagram);
    }

    private static boolean isRtcp(byte[] datagram, int length) {
        return length >= 8 && isRtpOrRtcp(datagram) && rtcpType(datagram);
    }

    private static boolean isRtpOrRtcp(byte[] datagram) {
        int first = datagram[0] & 0xFF;
        return first >= 128 && first <= 191;
    }

    private static boolean rtcpType(byte[] datagram) {
        int type = datagram[1] & 0xFF;
        return type >= 192 && type <= 223;
    }

    /** Packets the loss rate dropped (RTP and SRTCP). */
    public long dropped() {
        return dropped.get();
    }

    /** Datagrams a blackout swallowed, both ways. */
    public long blackedOut() {
        return blackedOut.get();
    }

    /** RTP packets passed on to the client. */
    public long deliveredToClient() {
        return deliveredToClient.get();
    }

    @Override
    public void close() {
        clientSide.close();
        bridgeSide.close();
    }
}
