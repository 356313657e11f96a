package org.citizenreception.media.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of ICE-TCP (RFC 6544): connections accepted and open, bytes each way (frame headers
 * included), frames that broke RFC 4571 framing, and packets dropped on the way out because a
 * connection's outbound buffer was full or the connection had closed. Same prefix as
 * {@link MediaMetrics}; the only tags are closed sets.
 */
public final class TcpMetrics {
    /** Why a packet for a TCP viewer was not written. */
    public enum TcpDrop {
        /** The connection's outbound buffer was above its high-water mark: the viewer reads slower than we send. */
        BUFFER_FULL("buffer_full"),
        /** The connection had closed (the client left, or a framing error closed it). */
        CLOSED("closed");

        private final String tag;

        TcpDrop(String tag) {
            this.tag = tag;
        }
    }

    private final Counter accepted;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter framingErrors;
    private final Counter closedUnauthenticated;
    private final Counter dropBufferFull;
    private final Counter dropClosed;

    public TcpMetrics(MeterRegistry registry) {
        accepted = Counter.builder("reception_media_tcp_connections_accepted")
                .description("ICE-TCP connections accepted").register(registry);
        Gauge.builder("reception_media_tcp_connections_open", open, AtomicInteger::get)
                .description("ICE-TCP connections open now").register(registry);
        bytesReceived = Counter.builder("reception_media_tcp_bytes").tag("direction", "received").baseUnit("bytes")
                .description("bytes read from ICE-TCP connections, frame headers included").register(registry);
        bytesSent = Counter.builder("reception_media_tcp_bytes").tag("direction", "sent").baseUnit("bytes")
                .description("bytes written to ICE-TCP connections, frame headers included").register(registry);
        framingErrors = Counter.builder("reception_media_tcp_framing_errors")
                .description("ICE-TCP connections closed for a frame that is empty, oversized or neither STUN, DTLS nor RTP")
                .register(registry);
        closedUnauthenticated = Counter.builder("reception_media_tcp_connections_unauthenticated")
                .description("ICE-TCP connections closed because no binding request authenticated on them in time")
                .register(registry);
        dropBufferFull = drop(registry, TcpDrop.BUFFER_FULL);
        dropClosed = drop(registry, TcpDrop.CLOSED);
    }

    private static Counter drop(MeterRegistry registry, TcpDrop reason) {
        return Counter.builder("reception_media_tcp_drops").tag("reason", reason.tag)
                .description("packets for ICE-TCP viewers not written").register(registry);
    }

    public void connectionOpened() {
        accepted.increment();
        open.incrementAndGet();
    }

    public void connectionClosed() {
        open.decrementAndGet();
    }

    public void received(int bytes) {
        bytesReceived.increment(bytes);
    }

    public void sent(int bytes) {
        bytesSent.increment(bytes);
    }

    public void framingError() {
        framingErrors.increment();
    }

    public void closedUnauthenticated() {
        closedUnauthenticated.increment();
    }

    public void dropped(TcpDrop reason) {
        (reason == TcpDrop.BUFFER_FULL ? dropBufferFull : dropClosed).increment();
    }

    public int openConnections() {
        return open.get();
    }

    public double framingErrorCount() {
        return framingErrors.count();
    }

    public double dropCount(TcpDrop reason) {
        return (reason == TcpDrop.BUFFER_FULL ? dropBufferFull : dropClosed).count();
    }

    public double acceptedCount() {
        return accepted.count();
    }

    public double bytesSentCount() {
        return bytesSent.count();
    }

    public double bytesReceivedCount() {
        return bytesReceived.count();
    }
}
