/**
 * RTP at the packet level: header and RFC 8285 header-extension views, the RFC 5761 RTP/RTCP
 * classifier, codec payload inspection (keyframes, VP8 descriptor), the per-subscriber
 * {@link org.citizenreception.media.rtp.SlotRewriter}, the per-source
 * {@link org.citizenreception.media.rtp.RetransmissionBuffer} and RTX packetization.
 *
 * <p>Nothing here touches sockets or crypto: callers are the per-packet stages of the
 * {@code transport}/{@code conference} packages, which hand in decrypted packets and encrypt what
 * comes out. Views are static methods over a {@link io.netty.buffer.ByteBuf} that read relative to
 * its {@code readerIndex()}, allocate nothing, and answer {@code false} or {@code -1} for bytes that
 * do not form a valid packet; they never throw on input from the wire.
 *
 * <p>32-bit wire fields (SSRC, RTP timestamp) travel as raw {@code int}s so that modular arithmetic
 * is Java's own overflow; print them with {@link java.lang.Integer#toUnsignedString(int)}. Sequence
 * numbers travel as {@code int} in {@code [0, 65535]}.
 *
 * <p><b>Buffer ownership.</b> Passing a buffer transfers it; whoever drops it releases it; fan-out
 * takes a retained duplicate (or a pooled copy when the bytes will be rewritten per viewer). The
 * static views never retain, release or keep a reference. Classes that keep buffers say so in
 * their Javadoc ({@link org.citizenreception.media.rtp.RetransmissionBuffer} owns what it holds).
 *
 * <p><b>Benchmarks.</b> The per-packet entry points are plain calls with no channel, pipeline or
 * global state behind them, so a JMH benchmark (the later benchmark issue) drives them directly:
 * the static views ({@link org.citizenreception.media.rtp.RtpHeader},
 * {@link org.citizenreception.media.rtp.HeaderExtensionValues},
 * {@link org.citizenreception.media.rtp.Keyframes}) return primitives a {@code Blackhole} can
 * consume; {@link org.citizenreception.media.rtp.SlotRewriter#rewrite},
 * {@link org.citizenreception.media.rtp.RetransmissionBuffer#insert} and
 * {@link org.citizenreception.media.rtp.RtxPacketizer#wrap} take an injectable nanosecond clock;
 * {@link org.citizenreception.media.rtp.RtpHeader#write} builds input packets.
 *
 * <p><b>Threads.</b> Stateful classes here are not thread-safe: each instance belongs to the one
 * Netty event loop that runs its endpoint group.
 */
package org.citizenreception.media.rtp;
