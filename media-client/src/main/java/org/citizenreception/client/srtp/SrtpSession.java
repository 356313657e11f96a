package org.citizenreception.client.srtp;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.citizenreception.client.dtls.SrtpKeys;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP and SRTCP in both directions for one peer, with a jitsi-srtp context per SSRC derived on
 * first use. Confined to the peer's event loop (the contexts keep replay and rollover state).
 */
public final class SrtpSession {
    private static final LoggerImpl LOGGER = new LoggerImpl(SrtpSession.class.getName());

    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final Map<Integer, SrtpCryptoContext> sendRtp = new HashMap<>();
    private final Map<Integer, SrtpCryptoContext> receiveRtp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> sendRtcp = new HashMap<>();
    private final Map<Integer, SrtcpCryptoContext> receiveRtcp = new HashMap<>();

    public SrtpSession(SrtpKeys keys) {
        this.sendFactory = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(),
                keys.profile().newPolicy(), keys.profile().newPolicy(), LOGGER);
        this.receiveFactory = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(),
                keys.profile().newPolicy(), keys.profile().newPolicy(), LOGGER);
    }

    /** Protects an RTP packet in place; false when it could not be. */
    public boolean protectRtp(PacketBuffer packet) {
        try {
            int ssrc = ssrc(packet, 8);
            SrtpCryptoContext c = sendRtp.get(ssrc);
            if (c == null) {
                c = sendFactory.deriveContext(ssrc, 0);
                sendRtp.put(ssrc, c);
            }
            return c.transformPacket(packet) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public boolean protectRtcp(PacketBuffer packet) {
        try {
            int ssrc = ssrc(packet, 4);
            SrtcpCryptoContext c = sendRtcp.get(ssrc);
            if (c == null) {
                c = sendFactory.deriveControlContext(ssrc);
                sendRtcp.put(ssrc, c);
            }
            return c.transformPacket(packet) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public SrtpErrorStatus unprotectRtp(PacketBuffer packet) {
        if (packet.getLength() < 12) {
            return SrtpErrorStatus.INVALID_PACKET;
        }
        try {
            int ssrc = ssrc(packet, 8);
            SrtpCryptoContext c = receiveRtp.get(ssrc);
            if (c == null) {
                c = receiveFactory.deriveContext(ssrc, 0);
                receiveRtp.put(ssrc, c);
            }
            return c.reverseTransformPacket(packet, false);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    public SrtpErrorStatus unprotectRtcp(PacketBuffer packet) {
        if (packet.getLength() < 8) {
            return SrtpErrorStatus.INVALID_PACKET;
        }
        try {
            int ssrc = ssrc(packet, 4);
            SrtcpCryptoContext c = receiveRtcp.get(ssrc);
            if (c == null) {
                c = receiveFactory.deriveControlContext(ssrc);
                receiveRtcp.put(ssrc, c);
            }
            return c.reverseTransformPacket(packet);
        } catch (GeneralSecurityException e) {
            return SrtpErrorStatus.FAIL;
        }
    }

    /**
     * Makes jitsi-srtp pick its AES implementations now: it benchmarks the available providers on
     * first use, which takes seconds on a busy machine and must not happen on an event loop.
     */
    public static void warmUp() {
        for (org.citizenreception.client.dtls.SrtpProfile profile : org.citizenreception.client.dtls.SrtpProfile.values()) {
            byte[] key = new byte[profile.keyBytes()];
            byte[] salt = new byte[profile.saltBytes()];
            SrtpSession a = new SrtpSession(new SrtpKeys(profile, key, salt, key, salt));
            byte[] rtp = new byte[64];
            rtp[0] = (byte) 0x80;
            rtp[1] = 96;
            PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length);
            a.protectRtp(packet);
            a.unprotectRtp(packet);
            byte[] rtcp = org.citizenreception.client.rtp.Rtcp.pli(1, 2);
            PacketBuffer control = PacketBuffer.copyOf(rtcp, 0, rtcp.length);
            a.protectRtcp(control);
            a.unprotectRtcp(control);
            a.close();
        }
    }

    public void close() {
        sendFactory.close();
        receiveFactory.close();
    }

    private static int ssrc(PacketBuffer p, int at) {
        byte[] b = p.getBuffer();
        int o = p.getOffset() + at;
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }
}
