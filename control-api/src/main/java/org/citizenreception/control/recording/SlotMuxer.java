package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.conference.SlotRecording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ffmpeg child process writing one part of one slot's recording: it listens on two loopback
 * ports pairs (video RTP/RTCP, audio RTP/RTCP) described by an SDP file, and copies what arrives
 * into Matroska without re-encoding. Clusters are at most one second long and every packet is
 * flushed, so a SIGKILL of the server (ffmpeg dies with it or is orphaned) loses about a second: the
 * file stays readable without its index, and {@link PartRecovery} remuxes it.
 *
 * <p>Why ffmpeg and not a Java muxer: it is the maintained reference for RTP depacketising (VP8
 * partitions, Opus), jitter reordering and Matroska/WebM writing; run as a child process it can
 * never stall or crash the bridge, and the same tool composes the program file.
 */
final class SlotMuxer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlotMuxer.class);
    /** Ports are drawn from here; the kernel's ephemeral range (32768+) is left to outgoing sockets. */
    private static final int PORT_FLOOR = 20_000;
    private static final int PORT_SPAN = 12_000;
    private static final int BIND_ATTEMPTS = 5;
    private static final long SECOND_SIGNAL_AFTER_MILLIS = 5_000;
    /** ffmpeg takes well over a second to start on a loaded machine (seen: over 5 s at load 30 on 2 cores). */
    private static final long BIND_WAIT_MILLIS = 20_000;
    /**
     * The one address ffmpeg listens on and the recorder tap sends to. ffmpeg's SDP input binds the
     * wildcard address unless told otherwise (the SDP's c-line only names the peer), which would let
     * any host that reaches this machine inject media into the record: {@code -localaddr} pins it.
     */
    static final String LISTEN_ADDRESS = "127.0.0.1";

    private final Process process;
    private final Path file;
    private final InetSocketAddress videoRtp;
    private final InetSocketAddress audioRtp;
    /** SIGTERMs sent so far (ffmpeg: the first asks, the second interrupts a blocked read, a third aborts). */
    private int terminationsSent;

    private SlotMuxer(Process process, Path file, InetSocketAddress videoRtp, InetSocketAddress audioRtp) {
        this.process = process;
        this.file = file;
        this.videoRtp = videoRtp;
        this.audioRtp = audioRtp;
    }

    /**
     * Starts ffmpeg for {@code baseName} ({@code main-01}: {@code main-01.mkv}, {@code .sdp}, {@code .log})
     * and returns once it listens on its ports, so the first keyframe is not sent into the void.
     * Ports it fails to bind (another program took them) are retried with others.
     */
    static SlotMuxer start(String ffmpeg, Path dir, String baseName) {
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int videoPort = PORT_FLOOR + 4 * ThreadLocalRandom.current().nextInt(PORT_SPAN / 4);
            int audioPort = videoPort + 2;
            if (UdpPorts.anyBound(List.of(videoPort, videoPort + 1, audioPort, audioPort + 1))) {
                continue;
            }
            try {
                Path sdp = dir.resolve(baseName + ".sdp");
                Files.writeString(sdp, sdp(videoPort, audioPort), StandardCharsets.US_ASCII);
                Path file = dir.resolve(baseName + ".mkv");
                Process process = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning",
                        // a keyframe arrives as a burst of packets: a larger socket buffer (the kernel caps it at
                        // net.core.rmem_max) keeps a busy ffmpeg from losing it
                        "-protocol_whitelist", "file,udp,rtp", "-reorder_queue_size", "500", "-buffer_size", "4194304",
                        // VP8 frame size is known only from a keyframe: wait for one as long as a loaded publisher may take
                        "-analyzeduration", "10000000", "-probesize", "50000000",
                        "-localaddr", LISTEN_ADDRESS, "-i", sdp.toString(),
                        "-map", "0", "-c", "copy", "-f", "matroska", "-cluster_time_limit", "1000",
                        "-flush_packets", "1", "-y", file.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve(baseName + ".log").toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BIND_WAIT_MILLIS);
                while (System.nanoTime() < deadline && process.isAlive()
                        && !UdpPorts.allBound(List.of(videoPort, audioPort))) {
                    Thread.sleep(10);
                }
                if (process.isAlive() && UdpPorts.allBound(List.of(videoPort, audioPort))) {
                    InetAddress loopback = InetAddress.getByName(LISTEN_ADDRESS);
                    log.info("{} muxer listening on {} (video) and {} (audio), pid {}", baseName, videoPort, audioPort, process.pid());
                    return new SlotMuxer(process, file, new InetSocketAddress(loopback, videoPort),
                            new InetSocketAddress(loopback, audioPort));
                }
                process.destroyForcibly();
                log.warn("{} muxer did not listen on {}/{}; trying other ports", baseName, videoPort, audioPort);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted starting the muxer for " + baseName, e);
            }
        }
        throw new UncheckedIOException("could not start ffmpeg for " + baseName,
                last != null ? last : new IOException("no free port pair after " + BIND_ATTEMPTS + " attempts"));
    }

    /** Video on its port, RTCP on the next; audio likewise; payload types as the bridge's recorder tap sends them. */
    static String sdp(int videoPort, int audioPort) {
        return String.format(Locale.ROOT, "v=0\r\no=- 0 0 IN IP4 " + LISTEN_ADDRESS + "\r\ns=citizen-reception-slot\r\nc=IN IP4 "
                        + LISTEN_ADDRESS + "\r\nt=0 0\r\n"
                        + "m=video %d RTP/AVP %d\r\na=rtpmap:%d VP8/90000\r\n"
                        + "m=audio %d RTP/AVP %d\r\na=rtpmap:%d opus/48000/2\r\n",
                videoPort, SlotRecording.VIDEO_PAYLOAD_TYPE, SlotRecording.VIDEO_PAYLOAD_TYPE,
                audioPort, SlotRecording.AUDIO_PAYLOAD_TYPE, SlotRecording.AUDIO_PAYLOAD_TYPE);
    }

    InetSocketAddress videoRtp() {
        return videoRtp;
    }

    InetSocketAddress audioRtp() {
        return audioRtp;
    }

    Path file() {
        return file;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long fileSize() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Asks ffmpeg to finish the file (it writes the index on SIGTERM). While media flows it stops at
     * the next packet; an idle ffmpeg sits in a read that only a second signal interrupts (ffmpeg's
     * interrupt callback counts signals), so one follows after five seconds. Killed after {@code graceMillis}.
     */
    void stop(long graceMillis) {
        if (!process.isAlive()) {
            return;
        }
        requestStop();
        try {
            // a busy ffmpeg may take seconds to write its index; the second signal would cut that short
            if (!process.waitFor(SECOND_SIGNAL_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
                terminate(); // the second: ffmpeg hard-exits without its index on a third, so never more
                if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                    log.warn("muxer {} did not finish within {} ms; killed", file.getFileName(), graceMillis);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The first SIGTERM, sent while media still flows so ffmpeg stops at its next packet. */
    void requestStop() {
        if (terminationsSent == 0) {
            terminate();
        }
    }

    private synchronized void terminate() {
        if (process.isAlive() && terminationsSent < 2) {
            terminationsSent++;
            process.destroy();
        }
    }

    /** Kills at once: for a stalled muxer, which is never waited for. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop(10_000);
    }
}
