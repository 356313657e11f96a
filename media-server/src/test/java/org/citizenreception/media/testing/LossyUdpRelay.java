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
 * A UDP relay between one client and the bridge that drops one in {@code n} media packets (SRTP, not
 * SRTCP) in one direction. STUN and DTLS pass untouched so the connection forms normally. The client
 * is pointed at the relay by rewriting the port in the bridge's answer.
 *
 * <p>Which packets are lost is a function of the packet, not of chance: the k-th RTP packet the relay
 * sees on an SSRC is dropped when {@code (k + phase) % n == 0}, the phase a seeded hash of the SSRC.
 * So of any {@code m} packets on one SSRC exactly {@code floor(m/n)} or {@code ceil(m/n)} are dropped,
 * whatever the timing, and a packet sent again (a retransmission, even with its original sequence
 * number) is a new arrival, so it is not lost forever.
 */
public final class LossyUdpRelay implements AutoCloseable {
    private final DatagramSocket clientSide;
    private final DatagramSocket bridgeSide;
    private final InetSocketAddress bridge;
    private final int dropOneIn;
    private final long seed;
    private final boolean towardBridge;
    /** RTP packets seen in the lossy direction, and of those dropped, by SSRC (SRTP leaves the header in clear). */
    private final Map<Long, AtomicLong> seenBySsrc = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> droppedBySsrc = new ConcurrentHashMap<>();
    /** RTP packets passed on toward the client, by SSRC. */
    private final Map<Long, AtomicLong> deliveredBySsrc = new ConcurrentHashMap<>();
    private volatile SocketAddress client;
    private final Thread up;
    private final Thread down;

    /** Drops one in {@code dropOneIn} media packets going to the client (a viewer's weak downlink). */
    public LossyUdpRelay(InetSocketAddress bridge, int dropOneIn, long seed) {
        this(bridge, dropOneIn, seed, false);
    }

    /** @param towardBridge drop media going to the bridge instead (a publisher's weak uplink) */
    public LossyUdpRelay(InetSocketAddress bridge, int dropOneIn, long seed, boolean towardBridge) {
        if (dropOneIn < 2) {
            throw new IllegalArgumentException("dropOneIn must be at least 2, was " + dropOneIn);
        }
        this.towardBridge = towardBridge;
        try {
            clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide.setReceiveBufferSize(2 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.bridge = bridge;
        this.dropOneIn = dropOneIn;
        this.seed = seed;
        up = new Thread(this::clientToBridge, "relay-up");
        down = new Thread(this::bridgeToClient, "relay-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
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
                if (towardBridge && dropsMedia(buf, packet.getLength())) {
                    continue;
                }
                bridgeSide.send(new DatagramPacket(buf, packet.getLength(), bridge));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void bridgeToClient() {
        byte[] buf = new byte[2048];
        while (!bridgeSide.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                bridgeSide.receive(packet);
                SocketAddress to = client;
                if (!towardBridge && dropsMedia(buf, packet.getLength())) {
                    continue;
                }
                if (to != null) {
                    clientSide.send(new DatagramPacket(buf, packet.getLength(), to));
                    if (isRtp(buf, packet.getLength())) {
                        count(deliveredBySsrc, ssrc(buf));
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** RTP only (RTCP passes): whether this packet is one of the one-in-n its SSRC loses. */
    private boolean dropsMedia(byte[] datagram, int length) {
        if (!isRtp(datagram, length)) {
            return false;
        }
        long ssrc = ssrc(datagram);
        long index = count(seenBySsrc, ssrc) - 1;
        if ((index + phase(ssrc)) % dropOneIn == 0) {
            count(droppedBySsrc, ssrc);
            return true;
        }
        return false;
    }

    /** Where in its one-in-n cycle an SSRC starts: a seeded hash, so streams do not lose packets in step. */
    private long phase(long ssrc) {
        long h = (ssrc ^ seed) * 0x9E3779B97F4A7C15L;
        return Math.floorMod(h ^ (h >>> 29), (long) dropOneIn);
    }

    private static long count(Map<Long, AtomicLong> bySsrc, long ssrc) {
        return bySsrc.computeIfAbsent(ssrc, k -> new AtomicLong()).incrementAndGet();
    }

    private static long ssrc(byte[] rtp) {
        return ((rtp[8] & 0xFFL) << 24) | ((rtp[9] & 0xFF) << 16) | ((rtp[10] & 0xFF) << 8) | (rtp[11] & 0xFF);
    }

    private static boolean isRtp(byte[] datagram, int length) {
        if (length < 12) {
            return false;
        }
        int first = datagram[0] & 0xFF;
        int second = datagram[1] & 0x7F;
        return first >= 128 && first <= 191 && (second < 64 || second > 95);
    }

    /** RTP packets with {@code ssrc} the relay passed on to the client. */
    public long deliveredToClient(long ssrc) {
        AtomicLong count = deliveredBySsrc.get(ssrc);
        return count == null ? 0 : count.get();
    }

    /** RTP packets with {@code ssrc} the relay dropped. */
    public long dropped(long ssrc) {
        AtomicLong count = droppedBySsrc.get(ssrc);
        return count == null ? 0 : count.get();
    }

    /** RTP packets with {@code ssrc} the relay saw in its lossy direction (dropped or passed on). */
    public long seen(long ssrc) {
        AtomicLong count = seenBySsrc.get(ssrc);
        return count == null ? 0 : count.get();
    }

    public long dropped() {
        return droppedBySsrc.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long mediaPackets() {
        return seenBySsrc.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() {
        clientSide.close();
        bridgeSide.close();
    }
}
