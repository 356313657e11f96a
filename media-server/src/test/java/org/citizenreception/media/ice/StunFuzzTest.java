package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.transport.PacketSender;
import org.ice4j.message.Message;

/**
 * STUN binding requests as anyone on the network can send them to the shared port. Half the
 * inputs are signed with the registered session's password (the fuzzer cannot forge an HMAC),
 * so ice4j's attribute decoding and the answering path are reached too. Contract: the agent
 * never throws, always releases the datagram, and answers only a request whose
 * MESSAGE-INTEGRITY verifies, with a response that verifies under the same password.
 */
class StunFuzzTest {
    private static final String PASSWORD = "server-password-0123456789";
    private static final byte[] KEY = PASSWORD.getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50_000);

    private final List<byte[]> answers = new ArrayList<>();
    private final List<Boolean> nominations = new ArrayList<>();
    private final IceLiteAgent agent = new IceLiteAgent(new MediaMetrics(new SimpleMeterRegistry()));

    StunFuzzTest() {
        agent.attach(new CapturingSender());
        agent.register(new IceSession(new IceCredentials("srvufrag", PASSWORD), "cliufrag",
                (remote, useCandidate) -> nominations.add(useCandidate)));
    }

    @FuzzTest(maxDuration = "10m")
    void onlyAuthenticatedBindingRequestsAreAnswered(FuzzedDataProvider data) {
        answers.clear();
        boolean signed = data.consumeBoolean();
        String username = data.consumeBoolean() ? "srvufrag:cliufrag" : data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] request = signed ? signedBindingRequest(username, body) : body;

        StunMessages.findAttribute(request, request.length, StunMessages.TYPE_MESSAGE_INTEGRITY);
        boolean authentic = StunMessages.integrityMatches(request, request.length, KEY)
                && StunMessages.fingerprintValidOrAbsent(request, request.length);

        // A fresh reference-counted buffer even when empty (Unpooled.wrappedBuffer of nothing is a
        // shared singleton that ignores release).
        ByteBuf datagram = Unpooled.buffer(request.length).writeBytes(request);
        agent.receive(datagram, REMOTE);

        assertThat(datagram.refCnt()).as("the agent releases every datagram").isZero();
        if (!answers.isEmpty()) {
            assertThat(authentic).as("only a request signed with our password is answered").isTrue();
            byte[] answer = answers.get(0);
            assertThat(StunMessages.integrityMatches(answer, answer.length, KEY)).isTrue();
            assertThat(StunMessages.fingerprintValidOrAbsent(answer, answer.length)).isTrue();
        }
    }

    /** Header, USERNAME, the fuzzer's bytes as further attributes, then MESSAGE-INTEGRITY and FINGERPRINT. */
    private static byte[] signedBindingRequest(String username, byte[] attributes) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int attributesLength = Math.min(attributes.length & ~3, 1000);
        byte[] message = new byte[StunMessages.HEADER_BYTES + 4 + userPadded + attributesLength];
        message[1] = 0x01; // binding request
        System.arraycopy(Message.MAGIC_COOKIE, 0, message, 4, 4);
        for (int i = 8; i < 20; i++) {
            message[i] = (byte) (i * 31);
        }
        int at = StunMessages.HEADER_BYTES;
        message[at] = 0x00;
        message[at + 1] = 0x06; // USERNAME
        message[at + 2] = (byte) (user.length >> 8);
        message[at + 3] = (byte) user.length;
        System.arraycopy(user, 0, message, at + 4, user.length);
        System.arraycopy(attributes, 0, message, at + 4 + userPadded, attributesLength);
        return StunMessages.appendIntegrityAndFingerprint(message, KEY);
    }

    private final class CapturingSender implements PacketSender {
        @Override
        public void send(ByteBuf payload, InetSocketAddress recipient) {
            try {
                byte[] bytes = new byte[payload.readableBytes()];
                payload.getBytes(payload.readerIndex(), bytes);
                answers.add(bytes);
            } finally {
                payload.release();
            }
        }

        @Override
        public ByteBufAllocator alloc() {
            return UnpooledByteBufAllocator.DEFAULT;
        }

        @Override
        public EventLoop eventLoop() {
            throw new UnsupportedOperationException("the STUN agent answers on the caller's thread");
        }
    }
}
