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
 * A UDP relay between one client and the bridge that drops a share of the media (SRTP) going to
 * the client, deterministically from a seed. STUN and DTLS pass untouched so the connection forms
 * normally. The client is pointed at the relay by rewriting the port in the bridge's answer.
 */
public final class LossyUdpRelay implements AutoCloseable {
    private final DatagramSocket clientSide;
    private final DatagramSocket bridgeSide;
    private final InetSocketAddress bridge;
    private final double dropRate;
    private final Random random;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong media = new AtomicLong();
    private volatile SocketAddress client;
    private final Thread up;
    private final Thread down;

    public LossyUdpRelay(InetSocketAddress bridge, double dropRate, long seed) {
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
                int first = buf[0] & 0xFF;
                if (first >= 128 && first <= 191) {
                    media.incrementAndGet();
                    if (random.nextDouble() < dropRate) {
                        dropped.incrementAndGet();
                        continue;
                    }
                }
                if (to != null) {
                    clientSide.send(new DatagramPacket(buf, packet.getLength(), to));
                }
            } catch (IOException e) {
                return;
            }
        }
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
