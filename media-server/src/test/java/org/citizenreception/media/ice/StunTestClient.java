package org.citizenreception.media.ice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ice4j.StunException;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.StunStack;

/**
 * Builds binding requests the way a controlling ICE agent does, with ice4j's own encoder
 * (its StunStack supplies the MESSAGE-INTEGRITY key), so the bridge is tested against an
 * independent implementation rather than its own.
 */
public final class StunTestClient implements AutoCloseable {
    private final StunStack stack = new StunStack();
    private volatile String password;

    public StunTestClient() {
        stack.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
            @Override
            public byte[] getLocalKey(String username) {
                return null;
            }

            @Override
            public byte[] getRemoteKey(String username, String media) {
                return password.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public boolean checkLocalUserName(String username) {
                return false;
            }
        });
    }

    /** A binding request for {@code username} ("serverUfrag:clientUfrag"), authenticated with {@code password}. */
    public byte[] bindingRequest(String username, String password, boolean useCandidate) {
        this.password = password;
        try {
            Request request = MessageFactory.createBindingRequest();
            byte[] transactionId = new byte[12];
            new java.security.SecureRandom().nextBytes(transactionId);
            request.setTransactionID(transactionId);
            request.putAttribute(AttributeFactory.createUsernameAttribute(username));
            request.putAttribute(AttributeFactory.createPriorityAttribute(1_845_501_695L));
            request.putAttribute(AttributeFactory.createIceControllingAttribute(42L));
            if (useCandidate) {
                request.putAttribute(AttributeFactory.createUseCandidateAttribute());
            }
            request.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
            request.putAttribute(AttributeFactory.createFingerprintAttribute());
            return request.encode(stack);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} and waits up to {@code timeoutMillis} for a reply; null on timeout. */
    public static Message exchange(DatagramSocket socket, InetSocketAddress server, byte[] request, int timeoutMillis) {
        try {
            socket.send(new DatagramPacket(request, request.length, server));
            socket.setSoTimeout(timeoutMillis);
            byte[] buf = new byte[1500];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            socket.receive(reply);
            return Message.decode(Arrays.copyOf(buf, reply.getLength()), 0, reply.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StunException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stack.shutDown();
    }
}
