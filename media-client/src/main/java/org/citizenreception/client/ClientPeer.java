package org.citizenreception.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.citizenreception.client.dtls.DtlsSrtpHandshake;
import org.citizenreception.client.dtls.QueueDatagramTransport;
import org.citizenreception.client.dtls.SrtpKeys;
import org.citizenreception.client.ice.StunCodec;
import org.citizenreception.client.rtp.Bytes;
import org.citizenreception.client.sdp.SdpAnswer;
import org.citizenreception.client.sdp.SdpOfferBuilder;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.client.srtp.PacketBuffer;
import org.citizenreception.client.srtp.SrtpSession;
import org.ice4j.message.Message;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * One WebRTC peer connection as a browser makes it: its own UDP socket (a Netty channel in the
 * group's event loops), the controlling ICE agent with aggressive nomination, DTLS-SRTP in the
 * role the answer gives, and SRTP/SRTCP in both directions. Subclasses ({@link Publisher},
 * {@link Viewer}) fill in the media.
 *
 * <p>Threads: everything that touches packets or per-peer state runs on the channel's event loop;
 * {@link #connect} runs signalling and the bctls handshake on a handshake thread, which only hands
 * datagrams over through {@link QueueDatagramTransport} and thread-safe channel writes.
 *
 * <p>Buffers: the inbound handler copies each datagram into a heap array and lets Netty release the
 * ByteBuf ({@code SimpleChannelInboundHandler}); outbound arrays are wrapped, and Netty releases the
 * wrapper once written.
 */
public abstract class ClientPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long ICE_PRIORITY = (110L << 24) | (65_535L << 8) | 255; // prflx type preference
    private static final int CHECK_INTERVAL_MILLIS = 50;
    /** Enough for a 2.5 Mbps keyframe (about 80 packets) plus audio while the handshake thread hands over. */
    private static final int EARLY_PACKETS = 256;

    private record Early(byte[] data, int length, InetSocketAddress from, long receivedNanos) {
    }

    private final java.util.ArrayDeque<Early> early = new java.util.ArrayDeque<>();
    private final AtomicLong earlyBuffered = new AtomicLong();
    private volatile String firstAuthFailure;
    private final byte[] diagnosisCopy = new byte[1_600];
    /** Event-loop confined: the datagram being decrypted (see {@link #onRtp}: valid only during the call). */
    private final byte[] receiveScratch = new byte[1_600 + 32];
    private final PacketBuffer receiveBuffer = new PacketBuffer(receiveScratch, 0, 0);
    /** Event-loop confined: the window over a pooled buffer that {@link #sendRtcp(byte[], int)} protects in place. */
    private final PacketBuffer sendScratch = new PacketBuffer(new byte[0], 0, 0);
    private volatile org.citizenreception.client.dtls.SrtpProfile srtpProfile;

    protected final ClientGroup group;
    protected final PeerOptions options;
    protected final String id;
    protected final String localUfrag = randomToken(8);
    protected final String localPwd = randomToken(24);
    private final long tieBreaker = RANDOM.nextLong();

    protected volatile Channel channel;
    protected volatile SdpAnswer answer;
    private volatile Signaller signaller;
    private volatile InetSocketAddress selected;
    private volatile InetSocketAddress dtlsPeer;
    private final List<InetSocketAddress> remoteCandidates = new ArrayList<>();
    private final Map<String, InetSocketAddress> pendingChecks = new HashMap<>();
    private final CompletableFuture<InetSocketAddress> iceDone = new CompletableFuture<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private QueueDatagramTransport dtls;
    protected SrtpSession srtp;
    private volatile boolean closed;
    /** Offerers control ICE and nominate aggressively; answerers are controlled. */
    private volatile boolean controlling = true;
    protected volatile long connectStartNanos;
    protected volatile long readyNanos;
    /** Join phases, as nanoTime (0 = not reached): answer received, ICE pair selected, DTLS permit taken, DTLS done. */
    private volatile long answeredNanos;
    private volatile long iceNanos;
    private volatile long dtlsStartNanos;
    private volatile long dtlsDoneNanos;
    private volatile long lastConsentNanos;
    private long lastConsentSentNanos;
    private volatile boolean consentExpired;

    // Counters written on the event loop, read from anywhere.
    protected final AtomicLong srtpAuthFailures = new AtomicLong();
    protected final AtomicLong otherDrops = new AtomicLong();
    protected final AtomicLong datagramsIn = new AtomicLong();
    protected final AtomicLong bytesIn = new AtomicLong();
    protected final AtomicLong datagramsOut = new AtomicLong();
    protected final AtomicLong bytesOut = new AtomicLong();

    protected ClientPeer(ClientGroup group, String id, PeerOptions options) {
        this.group = group;
        this.id = id;
        this.options = options;
    }

    public String id() {
        return id;
    }

    /** Completes when SRTP is ready in both directions; fails on any error (and the peer closes). */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** Starts joining: bind, offer, exchange, ICE, DTLS, SRTP. Returns {@link #ready()}. */
    public CompletableFuture<Void> connect(Signaller signaller) {
        this.signaller = signaller;
        connectStartNanos = System.nanoTime();
        group.handshakes().execute(this::join);
        return ready;
    }

    /** The local UDP address (after connect started binding). */
    public InetSocketAddress localAddress() {
        Channel c = channel;
        return c == null ? null : (InetSocketAddress) c.localAddress();
    }

    /** The remote address ICE selected, or null. */
    public InetSocketAddress remoteAddress() {
        return selected;
    }

    /** True once the remote stopped answering consent checks for {@code consentTimeoutMillis}; media stops. */
    public boolean consentExpired() {
        return consentExpired;
    }

    /** Datagrams this peer has written (STUN, DTLS, SRTP, SRTCP). */
    public long datagramsSent() {
        return datagramsOut.get();
    }

    public long srtpAuthFailures() {
        return srtpAuthFailures.get();
    }

    /** Datagrams dropped for reasons other than SRTP authentication (malformed, early, replay, unknown). */
    public long otherDrops() {
        return otherDrops.get();
    }

    /** Nanos from {@link #connect} to SRTP ready, or -1. */
    public long connectNanos() {
        return readyNanos == 0 ? -1 : readyNanos - connectStartNanos;
    }

    /**
     * Millis from connect start to each join phase's end: signalling answered, ICE selected, DTLS
     * handshake started (after waiting for a permit), DTLS done, SRTP ready; -1 where not reached.
     */
    public long[] joinPhaseMillis() {
        long start = connectStartNanos;
        long[] at = {answeredNanos, iceNanos, dtlsStartNanos, dtlsDoneNanos, readyNanos};
        long[] out = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = at[i] == 0 ? -1 : (at[i] - start) / 1_000_000;
        }
        return out;
    }

    private void join() {
        try {
            bind();
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            SdpOfferBuilder offer = new SdpOfferBuilder()
                    .ice(localUfrag, localPwd)
                    .fingerprint(group.certificate().fingerprintSha256())
                    .candidate(local.getAddress().getHostAddress(), local.getPort());
            describe(offer);
            dtls = new QueueDatagramTransport(this::sendDtls);
            SdpAnswer parsed = SdpAnswer.parse(signaller.exchange(offer.build()));
            answeredNanos = System.nanoTime();
            answer = parsed;
            configure(parsed);
            channel.eventLoop().execute(() -> startIce(parsed));
            finishJoin(parsed, !parsed.remoteIsDtlsClient());
        } catch (Throwable e) {
            fail(e);
        }
    }

    /**
     * Answerer mode, for servers that send the offer (a Janus subscriber, a WHEP server offer):
     * binds, answers {@code remoteOfferSdp} and returns our answer at once; ICE (as the controlled
     * agent, selecting the pair the offerer nominates) and DTLS then run in the background and
     * {@link #ready()} completes when SRTP is up. Blocks briefly to bind; never call on an event loop.
     */
    public String answer(String remoteOfferSdp) {
        connectStartNanos = System.nanoTime();
        controlling = false;
        try {
            bind();
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            SdpAnswer offer = SdpAnswer.parse(remoteOfferSdp);
            SdpOfferBuilder builder = new SdpOfferBuilder()
                    .ice(localUfrag, localPwd)
                    .fingerprint(group.certificate().fingerprintSha256())
                    .candidate(local.getAddress().getHostAddress(), local.getPort())
                    .answering(offer);
            describe(builder);
            String sdp = builder.build();
            dtls = new QueueDatagramTransport(this::sendDtls);
            answer = offer;
            configure(offer);
            boolean asClient = builder.setup().equals("active");
            channel.eventLoop().execute(() -> startIce(offer));
            group.handshakes().execute(() -> {
                try {
                    finishJoin(offer, asClient);
                } catch (Throwable e) {
                    fail(e);
                }
            });
            return sdp;
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IllegalStateException(id + " could not answer", e);
        }
    }

    private void bind() throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(group.eventLoops())
                .channel(group.channelClass())
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(new Inbound());
        channel = bootstrap.bind(new InetSocketAddress(options.bindHost, 0)).sync().channel();
    }

    private void fail(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        ready.completeExceptionally(e);
        close();
    }

    private void finishJoin(SdpAnswer parsed, boolean asDtlsClient) throws Exception {
        iceDone.get(options.connectTimeoutMillis, TimeUnit.MILLISECONDS);
        iceNanos = System.nanoTime();
        SrtpKeys keys;
        group.handshakePermits().acquire();
        dtlsStartNanos = System.nanoTime();
        try {
            keys = DtlsSrtpHandshake.run(asDtlsClient, group.certificate(), parsed.fingerprint(), dtls);
        } finally {
            group.handshakePermits().release();
        }
        dtlsDoneNanos = System.nanoTime();
        channel.eventLoop().execute(() -> {
            if (closed) {
                return;
            }
            srtp = new SrtpSession(keys);
            srtpProfile = keys.profile();
            readyNanos = System.nanoTime();
            onSrtpReady();
            drainEarly();
            ready.complete(null);
        });
    }

    /** Adds this role's media description to the offer. */
    protected abstract void describe(SdpOfferBuilder offer);

    /** Reads what this role needs from the answer (payload types, extension ids, SSRCs); on the handshake thread. */
    protected abstract void configure(SdpAnswer answer);

    /** SRTP is up; schedule the role's timers. On the event loop. */
    protected abstract void onSrtpReady();

    /** A decrypted RTP packet. On the event loop; {@code data} is valid only during the call (it is reused). */
    protected abstract void onRtp(byte[] data, int length, long receivedNanos);

    /** A decrypted RTCP compound packet. On the event loop; {@code data} is valid only during the call. */
    protected abstract void onRtcp(byte[] data, int length);

    /** SRTP refused a packet as a replay: a duplicate the network or the server made. */
    protected void onReplay(long ssrc) {
    }

    // ---- ICE ----

    private void startIce(SdpAnswer parsed) {
        for (InetSocketAddress c : parsed.candidates()) {
            if (!c.isUnresolved() && c.getAddress().getClass() == ((InetSocketAddress) channel.localAddress())
                    .getAddress().getClass() && !remoteCandidates.contains(c)) {
                remoteCandidates.add(c);
            }
        }
        schedule(this::iceTick, 0, CHECK_INTERVAL_MILLIS);
    }

    private void iceTick() {
        long now = System.nanoTime();
        if (selected == null) {
            if (now - connectStartNanos > TimeUnit.MILLISECONDS.toNanos(options.connectTimeoutMillis)) {
                iceDone.completeExceptionally(new java.util.concurrent.TimeoutException("ICE found no working pair"));
                return;
            }
            for (InetSocketAddress c : remoteCandidates) {
                sendCheck(c, true);
            }
            channel.flush();
        } else {
            if (!consentExpired && now - lastConsentNanos > TimeUnit.MILLISECONDS.toNanos(options.consentTimeoutMillis)) {
                consentExpired = true; // RFC 7675 5.1: stop sending media; keep checking in case it returns
            }
            if (now - lastConsentSentNanos >= TimeUnit.MILLISECONDS.toNanos(options.consentIntervalMillis)) {
                lastConsentSentNanos = now;
                sendCheck(selected, false);
                channel.flush();
            }
        }
    }

    private void sendCheck(InetSocketAddress to, boolean nominate) {
        SdpAnswer a = answer;
        byte[] txId = StunCodec.newTransactionId();
        if (pendingChecks.size() > 256) {
            pendingChecks.clear();
        }
        pendingChecks.put(hex(txId), to);
        byte[] request = StunCodec.bindingRequest(txId, a.ufrag(), localUfrag, a.pwd(), ICE_PRIORITY, tieBreaker,
                controlling, nominate && controlling);
        write(request, to);
    }

    private void onStun(byte[] data, int length, InetSocketAddress from) {
        Message message = StunCodec.decode(data, length);
        if (message == null) {
            otherDrops.incrementAndGet();
            return;
        }
        if (message instanceof Request && message.getMessageType() == Message.BINDING_REQUEST) {
            String username = StunCodec.username(message);
            if (username == null || !username.startsWith(localUfrag + ":")
                    || !StunCodec.integrityMatches(data, length, localPwd)) {
                otherDrops.incrementAndGet();
                return;
            }
            write(StunCodec.bindingSuccess((Request) message, from, localPwd), from);
            if (!remoteCandidates.contains(from)) {
                remoteCandidates.add(from); // peer-reflexive (RFC 8445 7.3.1.3)
            }
            if (selected == null && !controlling && message.containsAttribute(org.ice4j.attribute.Attribute.USE_CANDIDATE)) {
                selected = from; // the controlling offerer nominated this pair (RFC 8445 7.3.1.5)
                lastConsentNanos = System.nanoTime();
                iceDone.complete(from);
            }
            if (selected == null) {
                sendCheck(from, true); // triggered check
            }
            channel.flush();
        } else if (message instanceof Response && ((Response) message).isSuccessResponse()) {
            InetSocketAddress to = pendingChecks.remove(hex(message.getTransactionID()));
            SdpAnswer a = answer;
            if (to == null || a == null || !StunCodec.integrityMatches(data, length, a.pwd())) {
                otherDrops.incrementAndGet();
                return;
            }
            lastConsentNanos = System.nanoTime();
            consentExpired = false;
            if (selected == null && controlling) {
                selected = from;
                iceDone.complete(from);
            }
        } else {
            otherDrops.incrementAndGet();
        }
    }

    // ---- DTLS ----

    private void sendDtls(byte[] record) {
        InetSocketAddress to = selected != null ? selected : dtlsPeer;
        Channel c = channel;
        if (to != null && c != null) {
            datagramsOut.incrementAndGet();
            bytesOut.addAndGet(record.length);
            c.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(record), to));
        }
    }

    // ---- SRTP send helpers (event loop) ----

    /** Protects and writes one RTP packet (not flushed); returns the protected bytes or null. */
    protected byte[] sendRtp(byte[] packet, int length) {
        if (consentExpired) {
            return null;
        }
        PacketBuffer buffer = PacketBuffer.copyOf(packet, 0, length);
        if (srtp == null || selected == null || !srtp.protectRtp(buffer)) {
            return null;
        }
        write(buffer.getBuffer(), buffer.getOffset(), buffer.getLength(), selected);
        return buffer.toArray();
    }

    /** Writes bytes already protected (a retransmission of the same packet). */
    protected void sendProtected(byte[] protectedPacket) {
        if (selected != null && !consentExpired) {
            write(protectedPacket, selected);
        }
    }

    /** Protects and writes one RTCP compound packet, flushed. */
    protected void sendRtcp(byte[] packet) {
        if (consentExpired) {
            return;
        }
        PacketBuffer buffer = PacketBuffer.copyOf(packet, 0, packet.length);
        if (srtp == null || selected == null || !srtp.protectRtcp(buffer)) {
            return;
        }
        write(buffer.getBuffer(), buffer.getOffset(), buffer.getLength(), selected);
        channel.flush();
    }

    /**
     * Protects and writes {@code length} bytes of an RTCP compound packet, flushed, without
     * allocating an array: the bytes are copied into a buffer of the channel's allocator, which
     * Netty releases once written (SRTCP adds at most 20 bytes, inside the 32 reserved).
     * {@code packet} may be reused as soon as this returns. Event loop.
     */
    protected void sendRtcp(byte[] packet, int length) {
        if (consentExpired || srtp == null || selected == null) {
            return;
        }
        ByteBuf buf = channel.alloc().heapBuffer(length + 32);
        if (!buf.hasArray()) {
            buf.release();
            sendRtcp(java.util.Arrays.copyOf(packet, length));
            return;
        }
        byte[] array = buf.array();
        int base = buf.arrayOffset() + buf.writerIndex();
        System.arraycopy(packet, 0, array, base, length);
        sendScratch.reset(array, length);
        sendScratch.setOffset(base);
        if (!srtp.protectRtcp(sendScratch) || sendScratch.getBuffer() != array) {
            buf.release();
            return;
        }
        buf.writerIndex(buf.writerIndex() + sendScratch.getLength());
        datagramsOut.incrementAndGet();
        bytesOut.addAndGet(sendScratch.getLength());
        channel.write(new DatagramPacket(buf, selected));
        channel.flush();
    }

    protected void flush() {
        Channel c = channel;
        if (c != null) {
            c.flush();
        }
    }

    private void write(byte[] data, InetSocketAddress to) {
        write(data, 0, data.length, to);
    }

    private void write(byte[] data, int offset, int length, InetSocketAddress to) {
        datagramsOut.incrementAndGet();
        bytesOut.addAndGet(length);
        channel.write(new DatagramPacket(Unpooled.wrappedBuffer(data, offset, length), to));
    }

    /** Runs {@code task} on this peer's event loop every {@code periodMillis}; cancelled by close. */
    protected void schedule(Runnable task, long delayMillis, long periodMillis) {
        scheduleNanos(task, TimeUnit.MILLISECONDS.toNanos(delayMillis), TimeUnit.MILLISECONDS.toNanos(periodMillis));
    }

    protected void scheduleNanos(Runnable task, long delayNanos, long periodNanos) {
        Runnable guarded = () -> {
            if (!closed) {
                task.run();
            }
        };
        synchronized (timers) {
            timers.add(channel.eventLoop().scheduleAtFixedRate(guarded, delayNanos, periodNanos, TimeUnit.NANOSECONDS));
        }
    }

    /** Runs {@code task} on the event loop and waits for its result (for stats snapshots). */
    protected <T> T onEventLoop(java.util.concurrent.Callable<T> task) {
        Channel c = channel;
        try {
            if (c == null || c.eventLoop().inEventLoop()) {
                return task.call();
            }
            return c.eventLoop().submit(task).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + id + " on its event loop", e);
        }
    }

    private void unprotect(byte[] data, int length, InetSocketAddress from, long receivedNanos) {
        if (!from.equals(selected)) {
            otherDrops.incrementAndGet();
            return;
        }
        PacketBuffer buffer = receiveBuffer;
        buffer.reset(data, length);
        int secondByte = data[1] & 0xFF;
        boolean rtcp = secondByte >= 192 && secondByte <= 223; // RFC 5761 4
        if (!rtcp && srtpAuthFailures.get() == 0 && length <= diagnosisCopy.length) {
            // AEAD decryption writes plaintext before it checks the tag, so the refused bytes are gone
            // afterwards; a memcpy into one per-peer array (no allocation) keeps the first one intact.
            System.arraycopy(data, 0, diagnosisCopy, 0, length);
        }
        SrtpErrorStatus status = rtcp ? srtp.unprotectRtcp(buffer) : srtp.unprotectRtp(buffer);
        switch (status) {
            case OK -> {
                if (rtcp) {
                    onRtcp(buffer.getBuffer(), buffer.getLength());
                } else {
                    onRtp(buffer.getBuffer(), buffer.getLength(), receivedNanos);
                }
            }
            case AUTH_FAIL -> {
                if (srtpAuthFailures.incrementAndGet() == 1) {
                    firstAuthFailure = (rtcp ? "SRTCP pt=" + (data[1] & 0xFF) + " ssrc=" + Bytes.u32(data, 4)
                            : "SRTP pt=" + (data[1] & 0x7F) + " ssrc=" + Bytes.u32(data, 8) + " seq=" + Bytes.u16(data, 2)
                            + " ts=" + Bytes.u32(data, 4)) + " length=" + length + " after "
                            + (System.nanoTime() - readyNanos) / 1_000_000 + " ms of SRTP";
                    if (!rtcp) {
                        Long roc = length <= diagnosisCopy.length ? srtp.authenticatingRollover(diagnosisCopy, length) : null;
                        firstAuthFailure += roc == null ? "; no nearby rollover counter authenticates it"
                                : "; it authenticates with rollover counter " + roc + " (ours: 0)";
                    }
                }
            }
            case REPLAY_FAIL -> {
                otherDrops.incrementAndGet();
                if (!rtcp) {
                    onReplay(org.citizenreception.client.rtp.Bytes.u32(data, 8));
                }
            }
            default -> otherDrops.incrementAndGet();
        }
    }

    private void drainEarly() {
        Early e;
        while ((e = early.poll()) != null) {
            unprotect(e.data, e.length, e.from, e.receivedNanos);
        }
    }

    /** The SRTP protection profile DTLS negotiated, or null before. */
    public org.citizenreception.client.dtls.SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    /** What the first packet refused by SRTP authentication looked like (header fields only), or null. */
    public String firstAuthFailure() {
        return firstAuthFailure;
    }

    /** SRTP packets that arrived before our keys, replayed once they are installed (count). */
    public long earlyPacketsBuffered() {
        return earlyBuffered.get();
    }

    /** Leaves the session (WHIP/WHEP DELETE), stops timers, closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        group.forget(this);
        synchronized (timers) {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
        if (dtls != null) {
            dtls.close();
        }
        iceDone.completeExceptionally(new IllegalStateException("closed"));
        ready.completeExceptionally(new IllegalStateException(id + " closed"));
        Signaller s = signaller;
        if (s != null) {
            s.leave();
        }
        Channel c = channel;
        if (c != null) {
            c.eventLoop().execute(() -> {
                if (srtp != null) {
                    srtp.close();
                }
            });
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            datagramsIn.incrementAndGet();
            bytesIn.addAndGet(length);
            if (length < 1) {
                otherDrops.incrementAndGet();
                return;
            }
            int first = content.getUnsignedByte(content.readerIndex());
            InetSocketAddress from = packet.sender();
            // RFC 7983 demultiplexing on the first byte.
            if (first <= 3) {
                byte[] data = new byte[length];
                content.getBytes(content.readerIndex(), data);
                onStun(data, length, from);
            } else if (first >= 20 && first <= 63) {
                byte[] data = new byte[length];
                content.getBytes(content.readerIndex(), data);
                if (selected == null && dtlsPeer == null) {
                    dtlsPeer = from;
                }
                if (dtls == null || !dtls.offer(data)) {
                    otherDrops.incrementAndGet();
                }
            } else if (first >= 128 && first <= 191) {
                onSrtp(content, length, from);
            } else {
                otherDrops.incrementAndGet();
            }
        }

        private void onSrtp(ByteBuf content, int length, InetSocketAddress from) {
            if (length < 8) {
                otherDrops.incrementAndGet();
                return;
            }
            if (srtp != null && length <= receiveScratch.length - 32) {
                // The common case: decrypt in a per-peer array, so a viewer allocates nothing per packet.
                content.getBytes(content.readerIndex(), receiveScratch, 0, length);
                unprotect(receiveScratch, length, from, System.nanoTime());
                return;
            }
            byte[] data = new byte[length + 32];
            content.getBytes(content.readerIndex(), data, 0, length);
            if (srtp == null) {
                // The DTLS server finishes first and may send media before our keys are installed:
                // keep a little of it, as the first keyframe is usually in there.
                if (early.size() < EARLY_PACKETS && !closed) {
                    early.add(new Early(data, length, from, System.nanoTime()));
                    earlyBuffered.incrementAndGet();
                } else {
                    otherDrops.incrementAndGet();
                }
                return;
            }
            unprotect(data, length, from, System.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            otherDrops.incrementAndGet();
        }
    }

    static String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
