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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.UDPTransport;
import org.citizenreception.media.dtls.CertificateFingerprint;
import org.citizenreception.media.dtls.DtlsCertificate;
import org.citizenreception.media.dtls.DtlsSrtpTestClient;
import org.citizenreception.media.ice.IceCredentials;
import org.citizenreception.media.ice.StunTestClient;
import org.citizenreception.media.rtcp.GenericNack;
import org.citizenreception.media.rtcp.NackGenerator;
import org.citizenreception.media.rtcp.Pli;
import org.citizenreception.media.rtcp.RtcpCompoundCursor;
import org.citizenreception.media.rtcp.SenderReport;
import org.citizenreception.media.rtp.RtxPacketizer;
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
 *
 * <p>Like a browser it offers RTX for VP8, NACKs missing video packets (RFC 4585 generic NACK,
 * with our {@link NackGenerator}) and puts RTX repairs back in place, and it assembles the
 * keyframe whatever order its packets come in: a repair arrives after the packets that followed
 * the loss. Without that, one lost packet made it wait for the publisher's next keyframe, which a
 * real viewer never does.
 */
public final class LightweightViewer implements AutoCloseable {
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generateEcdsa("lightweight-viewer");
    private static final int VP8 = 96;
    private static final int RTX = 97;
    /** libwebrtc's pace: the first NACK once a gap has lasted a few ms, then again each ~RTT. */
    private static final long NACK_REORDER_TOLERANCE_MILLIS = 5;
    private static final long NACK_RETRY_INTERVAL_MILLIS = 50;
    private static final int NACK_RETRIES = 10;
    /**
     * Video without a keyframe start this long after the first packet (the keyframe itself was
     * lost, so no gap shows): ask for one, as libwebrtc does once its first complete frame turns
     * out to be a delta frame (about one frame interval); again after {@link #PLI_REPEAT_MILLIS}
     * while none is whole.
     */
    private static final long PLI_AFTER_MILLIS = 30;
    private static final long PLI_REPEAT_MILLIS = 400;
    /** How long the reader blocks before it looks for NACKs that are due. */
    private static final int READ_TIMEOUT_MILLIS = 10;

    private final DatagramSocket socket;
    private final IceCredentials ice = IceCredentials.random();
    /** Publisher mode: offers one sendonly Opus m-line with audio levels and sends from {@link #startAudio}. */
    private final boolean publisher;
    /** False for a viewer whose offer leaves out rtx: its repairs come on the media SSRC. */
    private boolean offerRtx = true;
    /** Video packets older than the newest one seen: repairs, or reordering. */
    private final AtomicLong lateVideoPackets = new AtomicLong();
    private final int audioSsrc = new java.util.Random().nextInt() | 1;
    private Thread audioSender;
    private final StunTestClient stun = new StunTestClient();
    private final Map<Long, AtomicLong> packetsBySsrc = new ConcurrentHashMap<>();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private final AtomicLong nackedPackets = new AtomicLong();
    private final AtomicLong rtxReceived = new AtomicLong();
    private final AtomicLong plisSent = new AtomicLong();
    private final AtomicLong rtxKeyframeStarts = new AtomicLong();
    /** Set by {@link #sendNackStorm}: how many sequence numbers the reader's next storm NACK lists (0: none due). */
    private volatile int nackStormPackets;
    private final AtomicLong nackStormsSent = new AtomicLong();
    private final AtomicLong rtxBytesReceived = new AtomicLong();
    /** Reader thread: the sequence numbers repaired by RTX so far, to count a packet repaired twice. */
    private final Set<Integer> repairedSequences = new HashSet<>();
    private final AtomicLong repeatedRepairs = new AtomicLong();
    /** Set by {@link #requestKeyframe}; the reader sends the PLI (it alone uses the SRTCP context). */
    private volatile boolean pliWanted;
    private final int rtcpSsrc = new java.util.Random().nextInt() | 1;
    /** One packet the network "loses" on the way to this viewer, to test its repair; set before connecting. */
    public enum SimulatedLoss {
        NONE,
        /** The first keyframe's first packet: no gap shows, so only a keyframe request (PLI) helps. */
        KEYFRAME_START,
        /** The packet after it (the keyframe's second, or the next frame's first): NACK and RTX repair it. */
        PACKET_AFTER_KEYFRAME_START,
        /**
         * The first video packet once video has flowed for 500 ms, past any fast-start burst; never
         * the first one seen, whose loss no gap would show.
         */
        LIVE_PACKET
    }

    private volatile SimulatedLoss simulatedLoss = SimulatedLoss.NONE;
    private volatile int keyframePacketsDropped;
    private volatile long keyframeCompleteNanos;
    private volatile long joinedNanos;
    private volatile long connectedNanos;
    private InetSocketAddress bridge;
    private String bridgeUfrag;
    private String bridgePassword;
    private SrtpTransformer srtp;
    /**
     * Same keys, own replay window: decrypts a copy to decide on the simulated loss, so the lost
     * packet never reaches {@link #srtp} and its repair (same SSRC and sequence without RTX) is not
     * refused as a replay, just as after a real loss.
     */
    private SrtpTransformer lossProbe;
    private Thread reader;
    private volatile boolean running;
    private volatile boolean audioPaused;
    private final AtomicLong senderReportsReceived = new AtomicLong();
    private final RtcpCompoundCursor rtcpCursor = new RtcpCompoundCursor();
    /** From the answer's ssrc-group FID: the bridge's video SSRC and its RTX SSRC (0 when not negotiated). */
    private int videoSsrc;
    private int videoRtxSsrc;
    // reader-thread state: losses to NACK, and frame parts by RTP timestamp until a keyframe is whole
    private final NackGenerator videoLosses = new NackGenerator(NACK_RETRIES, NACK_REORDER_TOLERANCE_MILLIS,
            NACK_RETRY_INTERVAL_MILLIS, System::nanoTime);
    private final int[] dueNacks = new int[64];
    private final Map<Long, FrameParts> framesByTimestamp = new HashMap<>();
    private boolean sawKeyframeStart;
    private long firstVideoNanos;
    private int highestVideoSequence;
    private long lastPliNanos;

    /** What arrived of one video frame: its first (keyframe start) and last (marker) sequence numbers once seen. */
    private static final class FrameParts {
        final Set<Integer> sequences = new HashSet<>();
        int first = -1;
        int last = -1;

        boolean isComplete() {
            if (first < 0 || last < 0) {
                return false;
            }
            for (int seq = first; seq != ((last + 1) & 0xFFFF); seq = (seq + 1) & 0xFFFF) {
                if (!sequences.contains(seq)) {
                    return false;
                }
            }
            return true;
        }
    }

    public LightweightViewer() {
        this(false);
    }

    /** A viewer whose offer has no rtx for VP8 (older or minimal WebRTC stacks). */
    public static LightweightViewer withoutRtx() {
        LightweightViewer viewer = new LightweightViewer(false);
        viewer.offerRtx = false;
        return viewer;
    }

    /** @param publisher true to publish audio (see {@link #startAudio}) instead of viewing */
    public LightweightViewer(boolean publisher) {
        this(publisher, InetAddress.getLoopbackAddress());
    }

    /**
     * A viewer or publisher whose socket is on {@code local} (::1 for an IPv6 client); it connects to
     * the answer's first candidate of that address family.
     */
    public LightweightViewer(boolean publisher, InetAddress local) {
        this.publisher = publisher;
        try {
            socket = new DatagramSocket(0, local);
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
                + "m=video 9 UDP/TLS/RTP/SAVPF 96" + (offerRtx ? " 97" : "") + "\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=recvonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 ccm fir\r\n"
                + (offerRtx ? "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n" : "");
    }

    /** The reader will discard {@code loss} on arrival, once, as if the network had dropped it. */
    public void simulate(SimulatedLoss loss) {
        simulatedLoss = loss;
    }

    /** ICE (one nominating binding request), DTLS, then starts reading SRTP. */
    public void connect(String answer) throws IOException {
        joinedNanos = System.nanoTime();
        SessionDescription sdp = SdpParser.parse(answer);
        MediaDescription first = sdp.media().get(0);
        bridgeUfrag = first.attribute("ice-ufrag");
        bridgePassword = first.attribute("ice-pwd");
        boolean ipv6 = socket.getLocalAddress() instanceof java.net.Inet6Address;
        String[] candidate = first.attributes("candidate").stream().map(c -> c.split(" "))
                .filter(c -> c[4].contains(":") == ipv6).findFirst()
                .orElseThrow(() -> new IOException("no " + (ipv6 ? "IPv6" : "IPv4") + " candidate in the answer"));
        bridge = new InetSocketAddress(candidate[4], Integer.parseInt(candidate[5]));
        if (sdp.media().size() > 1) {
            MediaDescription video = sdp.media().get(1);
            video.ssrcs().keySet().stream().findFirst().ifPresent(ssrc -> videoSsrc = ssrc.intValue());
            video.rtxSsrcs().forEach((media, rtx) -> {
                videoSsrc = media.intValue();
                videoRtxSsrc = rtx.intValue();
            });
        }
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
        if (simulatedLoss != SimulatedLoss.NONE) {
            lossProbe = new SrtpTransformer(keys);
        }
        connectedNanos = System.nanoTime();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS); // wakes the reader to send NACKs that came due
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
                sendDueFeedback();
                continue;
            } catch (IOException e) {
                return;
            }
            int first = buf[0] & 0xFF;
            int second = buf[1] & 0x7F;
            if (first < 128 || first > 191 || packet.getLength() < 12) {
                continue;
            }
            if (second >= 64 && second <= 95) {
                countSenderReports(buf, packet.getLength());
                continue;
            }
            if (keyframePacketsDropped == 0 && lossProbe != null && isSimulatedLoss(buf, packet.getLength())) {
                keyframePacketsDropped = 1;
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
                if (videoRtxSsrc != 0 && (int) ssrc == videoRtxSsrc) {
                    if (!RtxPacketizer.unwrap(rtp, videoSsrc, VP8)) {
                        continue; // padding-only probe
                    }
                    rtxReceived.incrementAndGet();
                    rtxBytesReceived.addAndGet(packet.getLength());
                    if (!repairedSequences.add(rtp.getUnsignedShort(rtp.readerIndex() + 2))) {
                        repeatedRepairs.incrementAndGet();
                    }
                    ByteBuf repaired = rtp.slice();
                    if ((repaired.getByte(1) & 0x7F) == VP8 && isVp8KeyframeStart(repaired, headerLength(repaired))) {
                        rtxKeyframeStarts.incrementAndGet();
                    }
                }
                if ((rtp.getByte(rtp.readerIndex() + 1) & 0x7F) == VP8) {
                    videoPacket(rtp.slice());
                }
            } finally {
                rtp.release();
            }
            sendDueFeedback();
        }
    }

    /** Counts the sender reports in an SRTCP datagram from the bridge (reader thread). */
    private void countSenderReports(byte[] datagram, int length) {
        ByteBuf rtcp = Unpooled.buffer(length).writeBytes(datagram, 0, length);
        try {
            if (!srtp.unprotectRtcp(rtcp)) {
                return;
            }
            RtcpCompoundCursor packets = rtcpCursor.reset(rtcp);
            while (packets.next()) {
                if (SenderReport.isValid(rtcp, packets.offset(), packets.length())) {
                    senderReportsReceived.incrementAndGet();
                }
            }
        } finally {
            rtcp.release();
        }
    }

    /** Sender reports (one per stream in each compound) the bridge sent this viewer. */
    public long senderReportsReceived() {
        return senderReportsReceived.get();
    }

    /**
     * Publisher mode: one SR for the audio stream, so the bridge can give viewers the NTP/RTP
     * pairing (it sends viewers no SR for a source that never sent one).
     */
    public void sendSenderReport() {
        ByteBuf sr = Unpooled.buffer(64);
        SenderReport.write(sr, audioSsrc, 0xE000_0000_0000_0000L, 0, 1, 100, 0);
        sendRtcp(sr);
    }

    /** Publisher mode: stops (true) or resumes the audio packets of {@link #startAudio}, the thread kept. */
    public void pauseAudio(boolean paused) {
        audioPaused = paused;
    }

    private void videoPacket(ByteBuf rtp) {
        int sequence = rtp.getUnsignedShort(2);
        int behind = (highestVideoSequence - sequence) & 0xFFFF;
        if (firstVideoNanos == 0) {
            firstVideoNanos = System.nanoTime();
            highestVideoSequence = sequence;
        } else if (behind > 0 && behind < 0x8000) {
            lateVideoPackets.incrementAndGet();
        } else {
            highestVideoSequence = sequence;
        }
        videoLosses.onPacket(sequence);
        trackKeyframe(rtp);
    }

    /** Whether the SRTP datagram in {@code datagram} is the one to lose: judged on a decrypted copy. */
    private boolean isSimulatedLoss(byte[] datagram, int length) {
        if ((datagram[1] & 0x7F) != VP8 || videoSsrc == 0 || ((datagram[8] & 0xFF) << 24 | (datagram[9] & 0xFF) << 16
                | (datagram[10] & 0xFF) << 8 | (datagram[11] & 0xFF)) != videoSsrc) {
            return false;
        }
        ByteBuf copy = Unpooled.buffer(length + 16).writeBytes(datagram, 0, length);
        try {
            return lossProbe.unprotectRtp(copy) && isSimulatedLoss(copy);
        } finally {
            copy.release();
        }
    }

    private boolean isSimulatedLoss(ByteBuf rtp) {
        return switch (simulatedLoss) {
            case NONE -> false;
            case KEYFRAME_START -> isVp8KeyframeStart(rtp, headerLength(rtp));
            case PACKET_AFTER_KEYFRAME_START -> sawKeyframeStart;
            case LIVE_PACKET -> firstVideoNanos != 0 && System.nanoTime() - firstVideoNanos >= 500_000_000L;
        };
    }

    private static int headerLength(ByteBuf rtp) {
        int header = 12 + 4 * (rtp.getByte(0) & 0x0F);
        if ((rtp.getByte(0) & 0x10) != 0) {
            header += 4 + 4 * rtp.getUnsignedShort(header + 2);
        }
        return header;
    }

    /**
     * NACKs for video packets missing past the reorder tolerance, and a PLI when there is no
     * keyframe to repair (none seen, or a repair given up). Reader thread.
     */
    private void sendDueFeedback() {
        if (videoSsrc == 0 || srtp == null) {
            return;
        }
        int count = videoLosses.collectDue(dueNacks);
        if (count > 0) {
            ByteBuf nack = Unpooled.buffer(12 + 4 * count + 4 + 16);
            GenericNack.write(nack, rtcpSsrc, videoSsrc, dueNacks, 0, count);
            if (sendRtcp(nack)) {
                nackedPackets.addAndGet(count);
            }
        }
        int storm = nackStormPackets;
        if (storm > 0 && firstVideoNanos != 0) {
            nackStormPackets = 0;
            // every sequence number up to the newest seen, as a misbehaving (or hostile) receiver might ask
            int[] all = new int[storm];
            for (int i = 0; i < storm; i++) {
                all[i] = (highestVideoSequence - storm + 1 + i) & 0xFFFF;
            }
            ByteBuf nack = Unpooled.buffer(12 + 4 * storm + 4 + 16);
            GenericNack.write(nack, rtcpSsrc, videoSsrc, all, 0, storm);
            if (sendRtcp(nack)) {
                nackStormsSent.incrementAndGet();
            }
        }
        long now = System.nanoTime();
        boolean stuck = !sawKeyframeStart || videoLosses.abandonedCount() > 0;
        boolean due = keyframeCompleteNanos == 0 && firstVideoNanos != 0 && stuck
                && now - firstVideoNanos > PLI_AFTER_MILLIS * 1_000_000
                && (lastPliNanos == 0 || now - lastPliNanos > PLI_REPEAT_MILLIS * 1_000_000);
        if (due || pliWanted) {
            pliWanted = false;
            ByteBuf pli = Unpooled.buffer(12 + 4 + 16);
            Pli.write(pli, rtcpSsrc, videoSsrc);
            if (sendRtcp(pli)) {
                lastPliNanos = now;
                plisSent.incrementAndGet();
            }
        }
    }

    /** Protects and sends {@code rtcp}, which it releases; false when it could not. */
    private boolean sendRtcp(ByteBuf rtcp) {
        try {
            if (!srtp.protectRtcp(rtcp)) {
                return false;
            }
            byte[] datagram = new byte[rtcp.readableBytes()];
            rtcp.readBytes(datagram);
            send(datagram);
            return true;
        } catch (UncheckedIOException e) {
            return false; // closing: the socket is gone
        } finally {
            rtcp.release();
        }
    }

    /** Notes the first moment a keyframe has all its packets, from its first to its marker, in any arrival order. */
    private void trackKeyframe(ByteBuf rtp) {
        if (keyframeCompleteNanos != 0) {
            return;
        }
        int sequence = rtp.getUnsignedShort(2);
        long timestamp = rtp.getUnsignedInt(4);
        boolean marker = (rtp.getByte(1) & 0x80) != 0;
        int header = headerLength(rtp);
        if (framesByTimestamp.size() > 300) {
            framesByTimestamp.clear(); // no keyframe in 10 s of frames: start over rather than grow
        }
        FrameParts frame = framesByTimestamp.computeIfAbsent(timestamp, t -> new FrameParts());
        frame.sequences.add(sequence);
        if (isVp8KeyframeStart(rtp, header)) {
            frame.first = sequence;
            sawKeyframeStart = true;
        }
        if (marker) {
            frame.last = sequence;
        }
        if (frame.isComplete()) {
            keyframeCompleteNanos = System.nanoTime();
            framesByTimestamp.clear();
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
                    if (!audioPaused && srtp.protectRtp(rtp)) {
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

    /** Sequence numbers this viewer NACKed, retries included. */
    public long nackedPackets() {
        return nackedPackets.get();
    }

    /** Keyframe requests this viewer sent (no keyframe start seen, or a repair given up). */
    public long plisSent() {
        return plisSent.get();
    }

    /** Sends a PLI for the video soon (from the reader thread), as a decoder that lost its picture would. */
    public void requestKeyframe() {
        pliWanted = true;
    }

    /** RTX packets that carried the first packet of a VP8 keyframe (a keyframe resent on request). */
    public long rtxKeyframeStarts() {
        return rtxKeyframeStarts.get();
    }

    /** Video packets that arrived after a newer one: repairs on the media SSRC (or reordering). */
    public long lateVideoPackets() {
        return lateVideoPackets.get();
    }

    /** RTX packets received and put back in place. */
    /**
     * Has the reader send one NACK naming the {@code packets} sequence numbers up to the newest
     * video packet received, all of them, as one SRTCP packet (once video flows).
     */
    public void sendNackStorm(int packets) {
        nackStormPackets = packets;
    }

    /** Storm NACKs sent so far (see {@link #sendNackStorm}). */
    public long nackStormsSent() {
        return nackStormsSent.get();
    }

    /** RTX packets repairing a sequence number that an earlier RTX packet had already repaired. */
    public long repeatedRepairs() {
        return repeatedRepairs.get();
    }

    /** Bytes of the SRTP datagrams received on the RTX SSRC. */
    public long rtxBytesReceived() {
        return rtxBytesReceived.get();
    }

    public long rtxReceived() {
        return rtxReceived.get();
    }

    /** 1 once the {@link #simulate simulated loss} happened, else 0. */
    public int keyframePacketsDropped() {
        return keyframePacketsDropped;
    }

    /** System.nanoTime() when {@link #connect} was called (the WHEP answer was in hand). */
    public long connectStartedNanos() {
        return joinedNanos;
    }

    /** System.nanoTime() when the DTLS handshake completed: from here on this viewer can decrypt media. */
    public long connectedNanos() {
        return connectedNanos;
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
        if (lossProbe != null) {
            lossProbe.close();
        }
    }
}
