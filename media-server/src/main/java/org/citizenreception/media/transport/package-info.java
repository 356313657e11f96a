/**
 * The one UDP socket every endpoint shares, and the first split of what arrives on it.
 *
 * <p>{@link org.citizenreception.media.transport.UdpTransport} reads datagrams in batches
 * (recvmmsg on epoll), {@link org.citizenreception.media.transport.DemultiplexingHandler}
 * classifies each by its first byte per RFC 7983 ({@link org.citizenreception.media.transport.PacketKind})
 * and hands STUN to the ICE agent and everything else to the endpoint bound to the sender's
 * address in the {@link org.citizenreception.media.transport.EndpointAddressTable}. Writes go
 * through {@link org.citizenreception.media.transport.PacketSender}; writes made on the event loop
 * are flushed after each incoming datagram (its whole fan-out in a few sendmmsg calls of at most
 * 32 datagrams), not once per read batch: a batch of 32 keyframe packets fanned out to 200 viewers
 * would otherwise hold its first packet back for the encryption of 6,400 copies.
 *
 * <p>ICE-TCP ({@link org.citizenreception.media.transport.TcpTransport}, RFC 6544 passive, RFC 4571
 * framing) accepts connections on the same event loop; each connection's frames are routed like
 * datagrams, with the connection's {@link org.citizenreception.media.transport.TcpConnectionAddress}
 * as sender, and whatever is sent to that address is framed onto the connection and flushed with
 * the UDP writes. The rest of the media path does not know which transport a peer uses.
 *
 * <h2>Buffer ownership (the one rule for the whole media server)</h2>
 * <ul>
 *   <li><b>Passing transfers.</b> A method that receives a {@code ByteBuf} argument owns it from
 *       then on: {@link org.citizenreception.media.transport.DatagramReceiver#receive} and
 *       {@link org.citizenreception.media.transport.PacketSender#send} both take ownership.</li>
 *   <li><b>Whoever drops releases.</b> The owner that decides not to pass a buffer on
 *       (dropped, consumed, copied elsewhere) releases it, in a {@code finally} where an
 *       exception could otherwise leak it.</li>
 *   <li><b>Fan-out takes a retained duplicate or a pooled copy.</b> One incoming packet sent to
 *       many viewers is copied into a pooled buffer per viewer (each is encrypted with that
 *       viewer's keys, so the bytes differ); the original is released once after the loop.
 *       A fan-out shared with {@code ParallelFanOut}'s helpers only reads the original; what a
 *       helper sends is held by its thread and passed to the channel by the event loop.</li>
 * </ul>
 * Tests run with {@code -Dio.netty.leakDetection.level=paranoid}: a leak is a defect.
 *
 * <p>Callers: the media bridge wires this package; the {@code ice} and {@code conference}
 * packages receive from it and send through it.
 */
package org.citizenreception.media.transport;
