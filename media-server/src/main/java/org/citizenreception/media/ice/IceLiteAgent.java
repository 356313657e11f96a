package org.citizenreception.media.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.citizenreception.media.stats.DropReason;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.DatagramReceiver;
import org.citizenreception.media.transport.PacketSender;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * Answers STUN binding requests for every endpoint on the shared port (ICE-lite: no checks of
 * our own). A request is answered only when USERNAME names a registered local ufrag and
 * MESSAGE-INTEGRITY verifies with that session's password; anything else is dropped and counted,
 * never answered, so a spoofed source cannot use the bridge to reflect traffic.
 *
 * <p>Ownership: {@link #receive} takes the datagram and releases it once copied to an array
 * (ice4j decodes from {@code byte[]}).
 */
public final class IceLiteAgent implements DatagramReceiver {
    private final ConcurrentHashMap<String, IceSession> sessionsByLocalUfrag = new ConcurrentHashMap<>();
    private final MediaMetrics metrics;
    private volatile PacketSender sender;

    public IceLiteAgent(MediaMetrics metrics) {
        this.metrics = metrics;
        warmUp();
    }

    /**
     * ice4j loads its configuration (jitsi-metaconfig, ~1.5 s on a loaded 2-core machine) the first
     * time a message is decoded. Done here, at bridge start, so the first client's binding request
     * does not stall the event loop, and with it every endpoint, for that long.
     */
    private static void warmUp() {
        byte[] request = new byte[StunMessages.HEADER_BYTES];
        request[1] = 0x01;
        System.arraycopy(Message.MAGIC_COOKIE, 0, request, 4, 4);
        try {
            Message decoded = Message.decode(request, 0, request.length);
            successResponse(decoded, new InetSocketAddress("127.0.0.1", 9), new byte[] {1});
        } catch (StunException | RuntimeException e) {
            throw new IllegalStateException("ice4j cannot decode a binding request", e);
        }
    }

    /** Set once the socket exists; requests arriving before are dropped (nobody can know our ufrag yet). */
    public void attach(PacketSender sender) {
        this.sender = sender;
    }

    public void register(IceSession session) {
        if (sessionsByLocalUfrag.putIfAbsent(session.local().ufrag(), session) != null) {
            throw new IllegalArgumentException("ufrag already registered: " + session.local().ufrag());
        }
    }

    public void unregister(IceSession session) {
        sessionsByLocalUfrag.remove(session.local().ufrag(), session);
    }

    @Override
    public void receive(ByteBuf datagram, InetSocketAddress remote) {
        byte[] bytes = StunMessages.takeBytes(datagram);
        if (bytes == null) {
            metrics.dropped(DropReason.STUN_MALFORMED);
            return;
        }
        handle(bytes, remote);
    }

    private void handle(byte[] bytes, InetSocketAddress remote) {
        Message message = StunMessages.decodeOrNull(bytes);
        if (message == null || message.getMessageType() != Message.BINDING_REQUEST || !(message instanceof Request)) {
            metrics.dropped(DropReason.STUN_MALFORMED);
            return;
        }
        IceSession session = sessionFor(message);
        if (session == null) {
            metrics.dropped(DropReason.STUN_UNKNOWN_USER);
            return;
        }
        if (!StunMessages.authentic(bytes, session.key())) {
            metrics.dropped(DropReason.STUN_UNAUTHORIZED);
            return;
        }
        PacketSender out = sender;
        if (out == null) {
            return;
        }
        byte[] response = successResponse(message, remote, session.key());
        out.send(Unpooled.wrappedBuffer(response), remote);
        session.listener().bindingAuthenticated(remote, message.containsAttribute(Attribute.USE_CANDIDATE));
    }

    private IceSession sessionFor(Message request) {
        if (!(request.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute username)) {
            return null;
        }
        String value = new String(username.getUsername(), StandardCharsets.UTF_8);
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        IceSession session = sessionsByLocalUfrag.get(value.substring(0, colon));
        if (session == null) {
            return null;
        }
        String remoteUfrag = session.remoteUfrag();
        if (remoteUfrag != null && !remoteUfrag.equals(value.substring(colon + 1))) {
            return null;
        }
        return session;
    }

    private static byte[] successResponse(Message request, InetSocketAddress remote, byte[] key) {
        try {
            Response response = MessageFactory.createBindingResponse((Request) request,
                    new TransportAddress(remote, Transport.UDP));
            response.setTransactionID(request.getTransactionID());
            return StunMessages.appendIntegrityAndFingerprint(response.encode(null), key);
        } catch (StunException e) {
            // Only thrown for a transaction id of the wrong length, which decode already rejected.
            throw new IllegalStateException(e);
        }
    }

    public int sessionCount() {
        return sessionsByLocalUfrag.size();
    }
}
