package org.citizenreception.media.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;

/**
 * An ICE-TCP connection's byte stream as anyone who can reach the port may send it, cut into reads
 * wherever the fuzzer likes. Contract: the framing never throws out of the pipeline, hands on
 * exactly the STUN frames a plain RFC 4571 reading of the stream finds before the first frame that
 * is empty, oversized or of no known kind, and at that frame closes the connection and counts one
 * framing error; every buffer is released (the leak detector runs paranoid).
 */
class TcpFramingFuzzTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50_000);

    @FuzzTest(maxDuration = "10m")
    void framesAreSplitAsRfc4571SaysAndABadOneClosesTheConnection(FuzzedDataProvider data) {
        List<byte[]> chunks = new ArrayList<>();
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            chunks.add(data.consumeBytes(data.consumeInt(1, 3000)));
        }
        byte[] stream = concat(chunks);

        List<byte[]> delivered = new ArrayList<>();
        TcpMetrics tcpMetrics = new TcpMetrics(new SimpleMeterRegistry());
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return REMOTE;
            }
        };
        TcpConnection connection = new TcpConnection(channel, null, tcpMetrics);
        channel.pipeline().addLast(TcpTransport.frameDecoder(), new TcpFrameHandler(connection, (frame, sender) -> {
            try {
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                delivered.add(bytes);
            } finally {
                frame.release();
            }
        }, new MediaMetrics(new SimpleMeterRegistry()), tcpMetrics, () -> { }));
        for (byte[] chunk : chunks) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
        }

        Expected expected = Expected.read(stream);
        assertThat(delivered).as("STUN frames handed on").usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(expected.stunFrames);
        assertThat(channel.isOpen()).as("open unless a bad frame came").isEqualTo(!expected.badFrame);
        assertThat(tcpMetrics.framingErrorCount()).isEqualTo(expected.badFrame ? 1 : 0);
        channel.finishAndReleaseAll();
    }

    /** A plain reading of the stream: complete frames up to the first bad one. */
    private record Expected(List<byte[]> stunFrames, boolean badFrame) {
        static Expected read(byte[] stream) {
            List<byte[]> stun = new ArrayList<>();
            int at = 0;
            while (stream.length - at >= 2) {
                int length = (stream[at] & 0xFF) << 8 | stream[at + 1] & 0xFF;
                if (length > TcpTransport.MAX_FRAME_BYTES) {
                    return new Expected(stun, true); // refused as soon as the length is read
                }
                if (stream.length - at - 2 < length) {
                    break; // incomplete: waits for more
                }
                if (length == 0) {
                    return new Expected(stun, true);
                }
                byte[] frame = Arrays.copyOfRange(stream, at + 2, at + 2 + length);
                PacketKind kind = PacketKind.classify(frame[0]);
                if (kind == PacketKind.UNKNOWN) {
                    return new Expected(stun, true);
                }
                if (kind == PacketKind.STUN) {
                    stun.add(frame);
                }
                at += 2 + length;
            }
            return new Expected(stun, false);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
