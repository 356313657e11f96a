package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The muxer's ffmpeg listens on 127.0.0.1 only: a datagram from any other address of this machine
 * (or from the network) has no socket to reach. ffmpeg's SDP input binds the wildcard address by
 * default, which the kernel's table shows as 00000000 and which would refuse the second socket here.
 */
class SlotMuxerListenAddressTest {
    private static final String LOOPBACK_HEX = "0100007F";

    @TempDir
    Path dir;

    @Test
    void ffmpegBindsItsRtpAndRtcpPortsOnLoopbackOnly() throws Exception {
        try (SlotMuxer muxer = SlotMuxer.start("ffmpeg", dir, "main-01")) {
            int video = muxer.videoRtp().getPort();
            int audio = muxer.audioRtp().getPort();
            assertThat(muxer.videoRtp().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(Files.readString(dir.resolve("main-01.sdp"))).contains("c=IN IP4 127.0.0.1").doesNotContain("0.0.0.0");

            List<Integer> ports = List.of(video, video + 1, audio, audio + 1);
            List<String> sockets = socketsOn(ports);
            assertThat(sockets).as("local addresses of the sockets on %s", ports).hasSize(4)
                    .allSatisfy(local -> assertThat(local).startsWith(LOOPBACK_HEX + ":"));

            // another local address on the same port: only possible when ffmpeg holds 127.0.0.1 alone
            InetAddress other = InetAddress.getByName("127.0.0.2");
            try (DatagramSocket intruder = new DatagramSocket(new InetSocketAddress(other, video));
                 DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
                byte[] probe = "not for the muxer".getBytes(StandardCharsets.US_ASCII);
                sender.send(new DatagramPacket(probe, probe.length, other, video));
                intruder.setSoTimeout(10_000);
                DatagramPacket received = new DatagramPacket(new byte[64], 64);
                intruder.receive(received);
                assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.US_ASCII))
                        .as("a datagram to the port on another address goes past the muxer").isEqualTo("not for the muxer");
            }
            assertThat(muxer.isAlive()).isTrue();
        }
    }

    /** "address:port" (hex, as the kernel prints them) of every UDP socket bound to one of {@code ports}. */
    private static List<String> socketsOn(List<Integer> ports) throws Exception {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields[0].equals("sl")) {
                    continue;
                }
                String local = fields[1];
                int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                if (ports.contains(port)) {
                    found.add(local);
                }
            }
        }
        return found;
    }
}
