package org.citizenreception.media.srtp;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP for one endpoint, both directions: protect with the bridge's keys, unprotect
 * with the peer's. jitsi-srtp derives one crypto context per SSRC (RFC 3711 keeps rollover
 * counter and replay window per SSRC); they are derived on first use and cached here.
 *
 * <p>Not thread-safe on purpose: every call for one endpoint comes from the transport's single
 * event loop, so the contexts need no lock of ours (jitsi's own {@code synchronized} is then
 * uncontended). All methods work in place on heap buffers; protect needs {@link SrtpProfile#tagBytes()}
 * of writable space after the packet.
 *
 * <p>Per packet nothing of ours is allocated: one {@link ByteBufArrayView} is reused for every
 * transform, and the context of the last SSRC protected is kept beside the map (a viewer's copies
 * come on one or two SSRCs, and a map lookup boxes an SSRC above 127 into a new {@link Integer}).
 */
public final class SrtpTransformer implements AutoCloseable {
    private static final Logger JITSI_LOGGER = new LoggerImpl(SrtpTransformer.class.getName());

    static {
        // jitsi-srtp times each AES implementation once, at first use, and keeps the fastest: on a
        // busy machine that race picked SunJCE in a third of our bench runs, whose GCM allocates
        // ~3 KB per packet (at 200 viewers a young GC every 2 s, 7-10 ms pauses that every packet
        // in flight waits out). OpenSSL's allocates nothing and is as fast: pin it when it loads.
        if (JitsiOpenSslProvider.isLoaded()) {
            Aes.setFactoryClassName(Aes.OpenSSLCipherFactory.class.getName());
        }
    }

    private final SrtpProfile profile;
    private final SrtpContextFactory forSending;
    private final SrtpContextFactory forReceiving;
    private final Map<Integer, SrtpCryptoContext> sendRtp = new HashMap<>();
    private final Map<Integer, SrtpCryptoContext> receiveRtp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> sendRtcp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> receiveRtcp = new HashMap<>();
    private final ByteBufArrayView view = new ByteBufArrayView();
    /** The send context last used, and its SSRC (valid when the context is not null). */
    private SrtpCryptoContext lastSendRtp;
    private int lastSendRtpSsrc;

    public SrtpTransformer(SrtpKeys keys) {
        this.profile = keys.profile();
        this.forSending = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(),
                profile.newPolicy(), profile.newPolicy(), JITSI_LOGGER);
        this.forReceiving = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(),
                profile.newPolicy(), profile.newPolicy(), JITSI_LOGGER);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and authenticates the RTP packet in {@code packet}; false if it cannot be protected. */
    public boolean protectRtp(ByteBuf packet) {
        try {
            int ssrc = packet.getInt(packet.readerIndex() + 8);
            SrtpCryptoContext context = lastSendRtp;
            if (context == null || lastSendRtpSsrc != ssrc) {
                context = sendRtp.get(ssrc);
                if (context == null) {
                    context = forSending.deriveContext(ssrc, 0);
                    sendRtp.put(ssrc, context);
                }
                lastSendRtp = context;
                lastSendRtpSsrc = ssrc;
            }
            return context.transformPacket(view.wrap(packet)) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException e) {
            return false;
        } finally {
            view.clear();
        }
    }

    /** Authenticates and decrypts in place; false (buffer content undefined) when authentication or replay checks fail. */
    public boolean unprotectRtp(ByteBuf packet) {
        if (packet.readableBytes() < 12 + profile.tagBytes()) {
            return false;
        }
        try {
            int ssrc = packet.getInt(packet.readerIndex() + 8);
            SrtpCryptoContext context = receiveRtp.get(ssrc);
            if (context == null) {
                context = forReceiving.deriveContext(ssrc, 0);
                receiveRtp.put(ssrc, context);
            }
            return context.reverseTransformPacket(view.wrap(packet), false) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        } finally {
            view.clear();
        }
    }

    /** Protects a (compound) RTCP packet; the SRTCP context is chosen by the first packet's sender SSRC. */
    public boolean protectRtcp(ByteBuf packet) {
        try {
            int ssrc = packet.getInt(packet.readerIndex() + 4);
            SrtcpCryptoContext context = sendRtcp.get(ssrc);
            if (context == null) {
                context = forSending.deriveControlContext(ssrc);
                sendRtcp.put(ssrc, context);
            }
            return context.transformPacket(view.wrap(packet)) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException e) {
            return false;
        } finally {
            view.clear();
        }
    }

    public boolean unprotectRtcp(ByteBuf packet) {
        // header (8) + SRTCP index (4) + tag
        if (packet.readableBytes() < 8 + 4 + profile.tagBytes()) {
            return false;
        }
        try {
            int ssrc = packet.getInt(packet.readerIndex() + 4);
            SrtcpCryptoContext context = receiveRtcp.get(ssrc);
            if (context == null) {
                context = forReceiving.deriveControlContext(ssrc);
                receiveRtcp.put(ssrc, context);
            }
            return context.reverseTransformPacket(view.wrap(packet)) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        } finally {
            view.clear();
        }
    }

    @Override
    public void close() {
        forSending.close();
        forReceiving.close();
        sendRtp.clear();
        lastSendRtp = null;
        receiveRtp.clear();
        sendRtcp.clear();
        receiveRtcp.clear();
    }
}
