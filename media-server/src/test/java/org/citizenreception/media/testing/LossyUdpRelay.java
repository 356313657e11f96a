package org.citizenreception.media.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between one client and the bridge that drops a share of the media (SRTP, not SRTCP)
 * in one direction, deterministically from a seed. STUN and DTLS pass untouched so the connection forms
 * normally. The client is pointed at the relay by rewriting the port in the bridge's answer.
 */
public final class LossyUdpRelay implements AutoCloseable {
    private final DatagramSocket clientSide;
    private final DatagramSocket bridgeSide;
    private final InetSocketAddress bridge;
    private final double dropRate;
    private final boolean towardBridge;
    private final Random random;
    private final AtomicLong dropped = new AtomicLong();
    /** RTP packets passed on toward the client, by SSRC (SRTP leaves the header in clear). */
    private final java.util.Map<Long, AtomicLong> deliveredBySsrc = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong media = new AtomicLong();
    private volatile SocketAddress client;
    private final Thread up;
    private final Thread down;

    /** Drops media going to the client (a viewer's weak downlink). */
    public LossyUdpRelay(InetSocketAddress bridge, double dropRate, long seed) {
        this(bridge, dropRate, seed, false);
    }

    /** @param towardBridge drop media going to the bridge instead (a publisher's weak uplink) */
    public LossyUdpRelay(InetSocketAddress bridge, double dropRate, long seed, boolean towardBridge) {
        this.towardBridge = towardBridge;
        try {
            clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            bridgeSide.setReceiveBufferSize(2 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.bridge = bridge;
        this.dropRate = dropRate;
        this.random = new Random(seed);
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
                if (towardBridge && dropsMedia(buf)) {
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
                if (!towardBridge && dropsMedia(buf)) {
                    continue;
                }
                if (to != null) {
                    clientSide.send(new DatagramPacket(buf, packet.getLength(), to));
                    if (isRtp(buf) && packet.getLength() >= 12) {
                        long ssrc = ((buf[8] & 0xFFL) << 24) | ((buf[9] & 0xFF) << 16) | ((buf[10] & 0xFF) << 8) | (buf[11] & 0xFF);
                        deliveredBySsrc.computeIfAbsent(ssrc, k -> new AtomicLong()).incrementAndGet();
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** RTP only (RTCP passes): decides, from the seeded sequence, whether this packet is lost. */
    private boolean dropsMedia(byte[] datagram) {
        if (!isRtp(datagram)) {
            return false;
        }
        media.incrementAndGet();
        synchronized (random) {
            if (random.nextDouble() < dropRate) {
                dropped.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    private static boolean isRtp(byte[] datagram) {
        int first = datagram[0] & 0xFF;
        int second = datagram[1] & 0x7F;
        return first >= 128 && first <= 191 && (second < 64 || second > 95);
    }

    /** RTP packets with {@code ssrc} the relay passed on to the client. */
    public long deliveredToClient(long ssrc) {
        AtomicLong count = deliveredBySsrc.get(ssrc);
        return count == null ? 0 : count.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long mediaPackets() {
        return media.get();
    }

    @Override
    public void close() {
        clientSide.close();
        bridgeSide.close();
    }
}
