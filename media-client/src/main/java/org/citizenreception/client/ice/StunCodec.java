package org.citizenreception.client.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * Builds and checks the STUN messages of ICE connectivity checks with ice4j's message classes.
 * ice4j encodes MESSAGE-INTEGRITY through a StunStack's credential manager, which a client that
 * owns one socket per peer does not have; so we encode the message without those two attributes
 * and append them over the wire bytes with ice4j's HMAC and CRC helpers (RFC 8489 14.5, 14.7).
 */
public final class StunCodec {
    private static final int HEADER = 20;
    private static final int MI_BYTES = 24;
    private static final int FP_BYTES = 8;

    private StunCodec() {
    }

    /** A binding request from the controlling agent (RFC 8445 7.1.1). */
    public static byte[] bindingRequest(byte[] transactionId, String remoteUfrag, String localUfrag,
            String remotePwd, long priority, long tieBreaker, boolean useCandidate) {
        return bindingRequest(transactionId, remoteUfrag, localUfrag, remotePwd, priority, tieBreaker, true, useCandidate);
    }

    /** A binding request from either role; only the controlling agent may nominate. */
    public static byte[] bindingRequest(byte[] transactionId, String remoteUfrag, String localUfrag,
            String remotePwd, long priority, long tieBreaker, boolean controlling, boolean useCandidate) {
        try {
            Request request = MessageFactory.createBindingRequest();
            request.setTransactionID(transactionId);
            request.putAttribute(AttributeFactory.createUsernameAttribute(remoteUfrag + ":" + localUfrag));
            request.putAttribute(AttributeFactory.createPriorityAttribute(priority));
            request.putAttribute(controlling ? AttributeFactory.createIceControllingAttribute(tieBreaker)
                    : AttributeFactory.createIceControlledAttribute(tieBreaker));
            if (useCandidate && controlling) {
                request.putAttribute(AttributeFactory.createUseCandidateAttribute());
            }
            return signed(request.encode(null), remotePwd);
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The success response to a check the peer sent us, signed with our own password. */
    public static byte[] bindingSuccess(Request request, InetSocketAddress from, String localPwd) {
        try {
            TransportAddress mapped = new TransportAddress(from, Transport.UDP);
            Response response = MessageFactory.createBindingResponse(request, mapped);
            response.setTransactionID(request.getTransactionID());
            return signed(response.encode(null), localPwd);
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] newTransactionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    /** Decodes a STUN message or returns null when it is not one ice4j accepts. */
    public static Message decode(byte[] data, int length) {
        try {
            return Message.decode(data, 0, length);
        } catch (StunException | RuntimeException e) {
            return null;
        }
    }

    public static String username(Message message) {
        Attribute a = message.getAttribute(Attribute.USERNAME);
        return a == null ? null : new String(((UsernameAttribute) a).getUsername(), StandardCharsets.UTF_8);
    }

    public static InetSocketAddress xorMapped(Message message) {
        Attribute a = message.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        if (a == null) {
            return null;
        }
        TransportAddress t = ((XorMappedAddressAttribute) a).getAddress(message.getTransactionID());
        return new InetSocketAddress(t.getAddress(), t.getPort());
    }

    /** True when the wire bytes carry a MESSAGE-INTEGRITY that matches {@code pwd}. */
    public static boolean integrityMatches(byte[] msg, int length, String pwd) {
        int at = HEADER;
        while (at + 4 <= length) {
            int type = u16(msg, at);
            int len = u16(msg, at + 2);
            if (type == Attribute.MESSAGE_INTEGRITY) {
                if (len != 20 || at + MI_BYTES > length) {
                    return false;
                }
                byte[] covered = java.util.Arrays.copyOf(msg, at);
                putU16(covered, 2, at - HEADER + MI_BYTES);
                byte[] expected = MessageIntegrityAttribute.calculateHmacSha1(covered, 0, at, key(pwd));
                return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(msg, at + 4, at + 24));
            }
            at += 4 + ((len + 3) & ~3);
        }
        return false;
    }

    private static byte[] signed(byte[] encoded, String pwd) {
        int base = encoded.length;
        byte[] out = java.util.Arrays.copyOf(encoded, base + MI_BYTES + FP_BYTES);
        putU16(out, 2, base - HEADER + MI_BYTES);
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(out, 0, base, key(pwd));
        putU16(out, base, Attribute.MESSAGE_INTEGRITY);
        putU16(out, base + 2, 20);
        System.arraycopy(hmac, 0, out, base + 4, 20);
        int fp = base + MI_BYTES;
        putU16(out, 2, fp - HEADER + FP_BYTES);
        byte[] crc = FingerprintAttribute.calculateXorCRC32(out, 0, fp);
        putU16(out, fp, Attribute.FINGERPRINT);
        putU16(out, fp + 2, 4);
        System.arraycopy(crc, 0, out, fp + 4, 4);
        return out;
    }

    private static byte[] key(String pwd) {
        return pwd.getBytes(StandardCharsets.UTF_8);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }
}
