package org.citizenreception.media.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.stats.MediaMetrics;
import org.citizenreception.media.stats.TcpMetrics;
import org.citizenreception.media.stats.TcpMetrics.TcpDrop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP's framing and routing over real loopback connections: RFC 4571 frames split over many
 * writes or merged into one arrive whole and one by one; an empty, oversized or non-media frame
 * closes that connection alone; a bound connection's DTLS/SRTP goes to its endpoint and what is sent
 * to its address comes back framed; a viewer that stops reading loses packets, counted, while the
 * others keep receiving.
 */
class TcpTransportTest {
    private static final long WAIT_MILLIS = 10_000;

    private final BlockingQueue<Received> stun = new LinkedBlockingQueue<>();
    private final List<Socket> clients = new ArrayList<>();
    private UdpTransport udp;
    private TcpTransport tcp;
    private TcpMetrics tcpMetrics;

    record Received(byte[] bytes, InetSocketAddress sender) {
    }

    @BeforeEach
    void start() {
        MediaMetrics metrics = new MediaMetrics(new SimpleMeterRegistry());
        tcpMetrics = new TcpMetrics(new SimpleMeterRegistry());
        DatagramReceiver stunReceiver = (datagram, sender) -> stun.add(new Received(drain(datagram), sender));
        udp = UdpTransport.bind("127.0.0.1", 0, metrics, stunReceiver, new EndpointAddressTable());
        tcp = TcpTransport.bind(udp, "127.0.0.1", 0, metrics, tcpMetrics, stunReceiver);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        tcp.close();
        udp.close();
    }

    @Test
    void aFrameSplitOverManyWritesArrivesWholeWithTheConnectionAsSender() throws Exception {
        Socket client = connect();
        byte[] frame = framed(stunLike(100));
        OutputStream out = client.getOutputStream();
        for (byte b : frame) {
            out.write(b);
            out.flush();
        }
        Received received = stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(received).isNotNull();
        assertThat(received.bytes()).isEqualTo(stunLike(100));
        assertThat(received.sender()).isInstanceOf(TcpConnectionAddress.class);
        assertThat(received.sender().getPort()).isEqualTo(client.getLocalPort());
    }

    @Test
    void framesMergedIntoOneWriteArriveOneByOne() throws Exception {
        Socket client = connect();
        byte[] merged = concat(framed(stunLike(20)), framed(stunLike(40)), framed(stunLike(1200)));
        client.getOutputStream().write(merged);
        assertThat(stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).bytes()).hasSize(20);
        assertThat(stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).bytes()).hasSize(40);
        assertThat(stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).bytes()).hasSize(1200);
    }

    @Test
    void aGarbageFrameClosesThatConnectionOnlyAndIsCounted() throws Exception {
        Socket bad = connect();
        Socket good = connect();
        byte[] garbage = new byte[50];
        Arrays.fill(garbage, (byte) 100); // 100: none of RFC 7983's ranges
        bad.getOutputStream().write(framed(garbage));
        assertClosedByServer(bad);
        assertThat(tcpMetrics.framingErrorCount()).isEqualTo(1);

        good.getOutputStream().write(framed(stunLike(30)));
        assertThat(stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("the other connection's frame").isNotNull();
    }

    @Test
    void anOversizedFrameClosesTheConnectionBeforeItsBodyIsRead() throws Exception {
        Socket client = connect();
        OutputStream out = client.getOutputStream();
        out.write(new byte[] {(byte) 0xFF, (byte) 0xF0, 0, 1}); // announces 65,520 bytes: over the limit
        out.flush();
        assertClosedByServer(client);
        assertThat(tcpMetrics.framingErrorCount()).isEqualTo(1);
        assertThat(stun).isEmpty();
    }

    @Test
    void anEmptyFrameClosesTheConnection() throws Exception {
        Socket client = connect();
        client.getOutputStream().write(new byte[] {0, 0});
        assertClosedByServer(client);
        assertThat(tcpMetrics.framingErrorCount()).isEqualTo(1);
    }

    @Test
    void aBoundConnectionsMediaGoesToItsReceiverAndWhatIsSentToItComesBackFramed() throws Exception {
        Socket client = connect();
        client.getOutputStream().write(framed(stunLike(20)));
        TcpConnectionAddress address = (TcpConnectionAddress) stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).sender();
        BlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
        EndpointAddressTable table = new EndpointAddressTable();
        DatagramReceiver endpoint = (datagram, sender) -> media.add(drain(datagram));
        table.bind(address, endpoint);
        assertThat(table.lookup(address)).isSameAs(endpoint);
        assertThat(table.size()).as("TCP bindings live on the connection").isZero();

        byte[] rtp = new byte[300];
        rtp[0] = (byte) 0x80;
        client.getOutputStream().write(framed(rtp));
        assertThat(media.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(rtp);

        byte[] fromLoop = {(byte) 0x80, 1, 2, 3};
        byte[] fromElsewhere = {(byte) 0x81, 4, 5};
        udp.eventLoop().execute(() -> udp.send(Unpooled.wrappedBuffer(fromLoop), address));
        udp.eventLoop().submit(() -> { }).get(); // the write above is queued before this
        udp.send(Unpooled.wrappedBuffer(fromElsewhere), address);
        DataInputStream in = new DataInputStream(client.getInputStream());
        assertThat(readFrame(in)).isEqualTo(fromLoop);
        assertThat(readFrame(in)).isEqualTo(fromElsewhere);

        table.unbind(address, endpoint);
        assertClosedByServer(client);
    }

    @Test
    void aViewerThatStopsReadingLosesPacketsCountedWhileAnotherKeepsReceiving() throws Exception {
        Socket stalled = connect();
        stalled.setReceiveBufferSize(4096);
        Socket reading = connect();
        stalled.getOutputStream().write(framed(stunLike(20)));
        TcpConnectionAddress stalledAddress = (TcpConnectionAddress) stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).sender();
        reading.getOutputStream().write(framed(stunLike(20)));
        TcpConnectionAddress readingAddress = (TcpConnectionAddress) stun.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS).sender();

        // 4 MiB to a client that never reads: far above the kernel buffers plus the 256 KiB bound
        int packets = 4 * 1024;
        byte[] packet = new byte[1024];
        packet[0] = (byte) 0x80;
        udp.eventLoop().submit(() -> {
            for (int i = 0; i < packets; i++) {
                udp.send(Unpooled.wrappedBuffer(packet), stalledAddress);
            }
            udp.flushPending();
        }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(tcpMetrics.dropCount(TcpDrop.BUFFER_FULL)).as("packets dropped for the stalled viewer").isPositive();

        udp.eventLoop().submit(() -> udp.send(Unpooled.wrappedBuffer(packet), readingAddress)).get();
        reading.setSoTimeout((int) WAIT_MILLIS);
        assertThat(readFrame(new DataInputStream(reading.getInputStream()))).isEqualTo(packet);
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.connect(tcp.localAddress(), (int) WAIT_MILLIS);
        client.setTcpNoDelay(true);
        return client;
    }

    private static void assertClosedByServer(Socket client) throws IOException {
        client.setSoTimeout((int) WAIT_MILLIS);
        InputStream in = client.getInputStream();
        int read;
        try {
            read = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + WAIT_MILLIS + " ms", e);
        } catch (IOException reset) {
            return; // a reset is a close too
        }
        assertThat(read).as("end of stream").isEqualTo(-1);
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        return frame;
    }

    /** Bytes whose first is 0 (a STUN message type's first byte): routed to the STUN receiver. */
    private static byte[] stunLike(int length) {
        byte[] bytes = new byte[length];
        for (int i = 1; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static byte[] framed(byte[] payload) {
        byte[] frame = new byte[payload.length + 2];
        frame[0] = (byte) (payload.length >> 8);
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static byte[] drain(ByteBuf buf) {
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }
}
