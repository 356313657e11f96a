package org.citizenreception.media.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.UDPTransport;
import org.citizenreception.media.dtls.CertificateFingerprint;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.dtls.DtlsSrtpTestClient;
import org.citizenreception.media.ice.IceCredentials;
import org.citizenreception.media.ice.StunTestClient;
import org.citizenreception.media.sdp.MediaDescription;
import org.citizenreception.media.sdp.SdpParser;
import org.citizenreception.media.sdp.SessionDescription;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.ice4j.message.Message;

/**
 * A WHEP viewer without a decoder, for tests that need many viewers or hostile ones: ICE with
 * ice4j-encoded binding requests, DTLS with a bctls client, SRTP with our transformer. It counts
 * packets per SSRC and notes when the first complete VP8 keyframe arrived.
 */
public final class LightweightViewer implements AutoCloseable {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generateEcdsa("lightweight-viewer");

    private final DatagramSocket socket;
    private final IceCredentials ice = IceCredentials.random();
    /** Publisher mode: offers one sendonly Opus m-line with audio levels and sends from {@link #startAudio}. */
    private final boolean publisher;
    private final int audioSsrc = new java.util.Random().nextInt() | 1;
    private Thread audioSender;
    private final StunTestClient stun = new StunTestClient();
    private final Map<Long, AtomicLong> packetsBySsrc = new ConcurrentHashMap<>();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private volatile long keyframeCompleteNanos;
    private volatile long joinedNanos;
    private volatile long connectedNanos;
    private InetSocketAddress bridge;
    private String bridgeUfrag;
    private String bridgePassword;
    private SrtpTransformer srtp;
    private Thread reader;
    private volatile boolean running;
    // keyframe assembly state (reader thread)
    private long keyframeTimestamp = -1;
    private int expectedSequence = -1;

    public LightweightViewer() {
        this(false);
    }

    /** @param publisher true to publish audio (see {@link #startAudio}) instead of viewing */
    public LightweightViewer(boolean publisher) {
        this.publisher = publisher;
        try {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            // a fast start replays up to a few hundred packets at once: room for them while the reader catches up
            socket.setReceiveBufferSize(2 * 1024 * 1024);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String offer() {
        if (publisher) {
            return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                    + "a=fingerprint:" + CERTIFICATE.fingerprint().toSdpValue() + "\r\n"
                    + "a=ice-ufrag:" + ice.ufrag() + "\r\na=ice-pwd:" + ice.password() + "\r\na=setup:actpass\r\n"
                    + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
                    + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=rtpmap:111 opus/48000/2\r\n"
                    + "a=ssrc:" + Integer.toUnsignedString(audioSsrc) + " cname:lightweight\r\n";
        }
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "a=fingerprint:" + CERTIFICATE.fingerprint().toSdpValue() + "\r\n"
                + "a=ice-ufrag:" + ice.ufrag() + "\r\na=ice-pwd:" + ice.password() + "\r\na=setup:actpass\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=recvonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 ccm fir\r\n";
    }

    /** ICE (one nominating binding request), DTLS, then starts reading SRTP. */
    public void connect(String answer) throws IOException {
        joinedNanos = System.nanoTime();
        SessionDescription sdp = SdpParser.parse(answer);
        MediaDescription first = sdp.media().get(0);
        bridgeUfrag = first.attribute("ice-ufrag");
        bridgePassword = first.attribute("ice-pwd");
        String[] candidate = first.attribute("candidate").split(" ");
        bridge = new InetSocketAddress(candidate[4], Integer.parseInt(candidate[5]));
        Message response = null;
        // retransmit like an ICE agent would: a shared, loaded CI machine can be slow to answer
        for (int attempt = 0; attempt < 20 && response == null; attempt++) {
            response = checkConnectivity(socket, true);
        }
        if (response == null) {
            throw new IOException("no STUN response from the bridge");
        }
        socket.connect(bridge);
        DtlsSrtpTestClient dtls = new DtlsSrtpTestClient(CERTIFICATE,
                CertificateFingerprint.parse(first.attribute("fingerprint")),
                SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.id());
        SrtpKeys keys = dtls.connect(new UDPTransport(socket, 1500));
        srtp = new SrtpTransformer(keys);
        connectedNanos = System.nanoTime();
        socket.setSoTimeout(0); // the STUN exchange left a timeout: the reader waits as long as it takes
        running = true;
        reader = new Thread(this::read, "lightweight-viewer-" + ice.ufrag());
        reader.setDaemon(true);
        reader.start();
    }

    /** One binding request from {@code from}; the response, or null after 500 ms. */
    public Message checkConnectivity(DatagramSocket from, boolean useCandidate) {
        byte[] request = stun.bindingRequest(bridgeUfrag + ":" + ice.ufrag(), bridgePassword, useCandidate);
        return StunTestClient.exchange(from, bridge, request, 500);
    }

    /** Sends a binding request without waiting (consent refresh while the reader owns the socket). */
    public void refreshConsent() {
        send(stun.bindingRequest(bridgeUfrag + ":" + ice.ufrag(), bridgePassword, true));
    }

    public void send(byte[] datagram) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, bridge));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** USERNAME of this viewer's binding requests: "bridgeUfrag:viewerUfrag". */
    public String stunUsername() {
        return bridgeUfrag + ":" + ice.ufrag();
    }

    public InetSocketAddress bridgeAddress() {
        return bridge;
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            int first = buf[0] & 0xFF;
            int second = buf[1] & 0x7F;
            if (first < 128 || first > 191 || (second >= 64 && second <= 95) || packet.getLength() < 12) {
                continue;
            }
            ByteBuf rtp = Unpooled.buffer(packet.getLength() + 16).writeBytes(buf, 0, packet.getLength());
            try {
                if (!srtp.unprotectRtp(rtp)) {
                    undecryptable.incrementAndGet();
                    continue;
                }
                packetsReceived.incrementAndGet();
                long ssrc = rtp.getUnsignedInt(8);
                packetsBySsrc.computeIfAbsent(ssrc, k -> new AtomicLong()).incrementAndGet();
                if ((rtp.getByte(1) & 0x7F) == 96) {
                    trackKeyframe(rtp);
                }
            } finally {
                rtp.release();
            }
        }
    }

    private void trackKeyframe(ByteBuf rtp) {
        if (keyframeCompleteNanos != 0) {
            return;
        }
        int sequence = rtp.getUnsignedShort(2);
        long timestamp = rtp.getUnsignedInt(4);
        boolean marker = (rtp.getByte(1) & 0x80) != 0;
        int header = 12 + 4 * (rtp.getByte(0) & 0x0F);
        if ((rtp.getByte(0) & 0x10) != 0) {
            header += 4 + 4 * rtp.getUnsignedShort(header + 2);
        }
        if (isVp8KeyframeStart(rtp, header)) {
            keyframeTimestamp = timestamp;
            expectedSequence = sequence;
        }
        if (keyframeTimestamp < 0 || timestamp != keyframeTimestamp) {
            return;
        }
        if (sequence != expectedSequence) {
            keyframeTimestamp = -1;
            return;
        }
        expectedSequence = (sequence + 1) & 0xFFFF;
        if (marker) {
            keyframeCompleteNanos = System.nanoTime();
        }
    }

    private static boolean isVp8KeyframeStart(ByteBuf rtp, int p) {
        int first = rtp.getUnsignedByte(p);
        if ((first & 0x10) == 0 || (first & 0x07) != 0) {
            return false;
        }
        int i = p + 1;
        if ((first & 0x80) != 0) {
            int x = rtp.getUnsignedByte(i++);
            if ((x & 0x80) != 0) {
                i += (rtp.getUnsignedByte(i) & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                i++;
            }
            if ((x & 0x30) != 0) {
                i++;
            }
        }
        return i < rtp.writerIndex() && (rtp.getUnsignedByte(i) & 0x01) == 0;
    }

    /**
     * Publisher mode: sends a 20 ms Opus-sized packet every 20 ms carrying the RFC 6464 audio level
     * {@code rawLevel} (0 loudest, 127 silent) in header extension id 1.
     */
    public void startAudio(int rawLevel) {
        audioSender = new Thread(() -> {
            int sequence = 0;
            int timestamp = 0;
            while (running) {
                ByteBuf rtp = Unpooled.buffer(64);
                rtp.writeByte(0x90).writeByte(111).writeShort(sequence++).writeInt(timestamp).writeInt(audioSsrc);
                rtp.writeShort(0xBEDE).writeShort(1).writeByte(1 << 4).writeByte(0x80 | rawLevel).writeShort(0);
                rtp.writeZero(20);
                timestamp += 960;
                try {
                    if (srtp.protectRtp(rtp)) {
                        byte[] datagram = new byte[rtp.readableBytes()];
                        rtp.readBytes(datagram);
                        send(datagram);
                    }
                } finally {
                    rtp.release();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lightweight-audio-" + ice.ufrag());
        audioSender.setDaemon(true);
        audioSender.start();
    }

    public long audioSsrc() {
        return Integer.toUnsignedLong(audioSsrc);
    }

    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long undecryptable() {
        return undecryptable.get();
    }

    /** Nanoseconds from {@link #connect} to the first complete keyframe, or -1 if none yet. */
    public long joinToKeyframeNanos() {
        long complete = keyframeCompleteNanos;
        return complete == 0 ? -1 : complete - joinedNanos;
    }

    /** Nanoseconds from the end of the DTLS handshake to the first complete keyframe, or -1. */
    public long connectedToKeyframeNanos() {
        long complete = keyframeCompleteNanos;
        return complete == 0 ? -1 : complete - connectedNanos;
    }

    public long joinedNanos() {
        return joinedNanos;
    }

    public DatagramSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        running = false;
        if (audioSender != null) {
            audioSender.interrupt();
            try {
                audioSender.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
        stun.close();
        if (reader != null) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (srtp != null) {
            srtp.close();
        }
    }
}
