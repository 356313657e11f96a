package org.citizenreception.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.PacketSender;
import org.ice4j.StunException;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;

/**
 * The controlling side of ICE toward one ICE-lite peer (another bridge, for a cascade link): the
 * peer never checks, so we send every binding request, each nominating its one host candidate
 * (aggressive nomination: a lite peer has nothing to choose between). An authenticated success
 * response tells the session's listener the pair works, which then also serves as the consent
 * freshness of RFC 7675; the request-to-response time is the link's round-trip time.
 *
 * <p>Checks go every {@value #CONNECTING_INTERVAL_MILLIS} ms until the first response, then every
 * {@value #CONSENT_INTERVAL_MILLIS} ms: well inside the peer's 30 s consent timeout, and often
 * enough that the RTT follows the line. Event loop only (the transport's thread sends, receives and
 * ticks), so no state here is shared.
 *
 * <p>Ownership: {@link #receive} takes each datagram and releases it once copied.
 */
public final class IceControllingChecks implements DatagramReceiver {
    static final long CONNECTING_INTERVAL_MILLIS = 100;
    static final long CONSENT_INTERVAL_MILLIS = 1000;
    private static final int PRIORITY = (110 << 24) | (65535 << 8) | 255;

    private final IceCredentials local;
    private final IceCredentials remote;
    private final InetSocketAddress remoteCandidate;
    private final IceListener listener;
    private final MediaMetrics metrics;
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    private PacketSender sender;
    private byte[] outstandingTransaction;
    private long outstandingSentNanos;
    private long lastSentNanos = Long.MIN_VALUE / 2;
    private boolean connected;
    private volatile long rttNanos = -1;
    private volatile long checksSent;
    private volatile long responsesReceived;

    /**
     * @param local           our credentials (our offer's ice-ufrag/pwd)
     * @param remote          the peer's, from its answer
     * @param remoteCandidate the peer's host candidate
     */
    public IceControllingChecks(IceCredentials local, IceCredentials remote, InetSocketAddress remoteCandidate,
                                IceListener listener, MediaMetrics metrics) {
        this.local = local;
        this.remote = remote;
        this.remoteCandidate = remoteCandidate;
        this.listener = listener;
        this.metrics = metrics;
    }

    /** Set once the link's socket exists, before the first {@link #tick}. */
    public void attach(PacketSender transport) {
        this.sender = transport;
    }

    public InetSocketAddress remoteCandidate() {
        return remoteCandidate;
    }

    /** The last measured round trip, or -1 before the first response. */
    public long rttNanos() {
        return rttNanos;
    }

    public long checksSent() {
        return checksSent;
    }

    public long responsesReceived() {
        return responsesReceived;
    }

    /** Sends a check when one is due. Event loop, every 100 ms and once at start. */
    public void tick(long nowNanos) {
        long intervalNanos = (connected ? CONSENT_INTERVAL_MILLIS : CONNECTING_INTERVAL_MILLIS) * 1_000_000;
        if (sender == null || nowNanos - lastSentNanos < intervalNanos) {
            return;
        }
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        byte[] request = bindingRequest(transaction);
        outstandingTransaction = transaction;
        outstandingSentNanos = nowNanos;
        lastSentNanos = nowNanos;
        checksSent++;
        sender.send(Unpooled.wrappedBuffer(request), remoteCandidate);
    }

    private byte[] bindingRequest(byte[] transaction) {
        try {
            Request request = MessageFactory.createBindingRequest();
            request.setTransactionID(transaction);
            String username = remote.ufrag() + ":" + local.ufrag();
            request.putAttribute(AttributeFactory.createUsernameAttribute(username.getBytes(StandardCharsets.UTF_8)));
            request.putAttribute(AttributeFactory.createPriorityAttribute(PRIORITY));
            request.putAttribute(AttributeFactory.createIceControllingAttribute(tieBreaker));
            request.putAttribute(AttributeFactory.createUseCandidateAttribute());
            return StunMessages.appendIntegrityAndFingerprint(request.encode(null),
                    remote.password().getBytes(StandardCharsets.UTF_8));
        } catch (StunException e) {
            throw new IllegalStateException("cannot encode a binding request", e);
        }
    }

    @Override
    public void receive(ByteBuf datagram, InetSocketAddress from) {
        byte[] bytes = StunMessages.takeBytes(datagram);
        if (bytes == null) {
            metrics.dropped(DropReason.STUN_MALFORMED);
            return;
        }
        handle(bytes, from);
    }

    private void handle(byte[] bytes, InetSocketAddress from) {
        Message message = StunMessages.decodeOrNull(bytes);
        if (message == null || message.getMessageType() != Message.BINDING_SUCCESS_RESPONSE || !from.equals(remoteCandidate)) {
            metrics.dropped(DropReason.STUN_MALFORMED);
            return;
        }
        if (!StunMessages.authentic(bytes, remote.password().getBytes(StandardCharsets.UTF_8))) {
            metrics.dropped(DropReason.STUN_UNAUTHORIZED);
            return;
        }
        byte[] transaction = message.getTransactionID();
        if (outstandingTransaction != null && Arrays.equals(transaction, outstandingTransaction)) {
            rttNanos = System.nanoTime() - outstandingSentNanos;
            outstandingTransaction = null;
        }
        responsesReceived++;
        connected = true;
        listener.bindingAuthenticated(from, true); // every check of ours nominates
    }
}
