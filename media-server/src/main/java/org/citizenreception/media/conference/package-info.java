/**
 * The conference model of DESIGN.md: a {@link org.citizenreception.media.conference.Conference}
 * owns its {@link org.citizenreception.media.conference.Endpoint}s (one WebRTC connection each)
 * and its {@link org.citizenreception.media.conference.Stage}; a publishing endpoint owns its
 * {@link org.citizenreception.media.conference.Source}s and places them in a stage slot
 * ({@link org.citizenreception.media.conference.SlotName#MAIN}, {@code GUEST}, or {@code CONTENT} for a
 * shared screen); a viewing
 * endpoint owns one {@link org.citizenreception.media.conference.Subscription} per slot and kind
 * it receives, each with a fixed outgoing SSRC.
 *
 * <p>Parents create and own children; {@code close()} is idempotent and cascades down, never back
 * up. Every log line starts with the id of the object it is about.
 *
 * <p>Threads: the control API calls {@code publish}, {@code subscribe} and {@code close} from its
 * own threads; every packet is handled on the transport's single event loop. State the packet path
 * writes (rewriters, SRTP contexts, counters) is touched only on the event loop; state the control
 * path changes (who is in which slot, who subscribes) lives in concurrent collections and volatile
 * fields the event loop reads.
 *
 * <p>Per packet, as declared stages ({@link org.citizenreception.media.pipeline.PacketStage}s,
 * each counted on {@code /metrics}): {@code ReceivePipeline}
 * decrypts once (pooled heap copy), hands RTCP to {@code IncomingRtcp}, records transport-cc,
 * finds the {@code Source} by SSRC (unwrapping RTX), keeps the packet in the source's
 * retransmission buffer, notes keyframes and audio levels, and fans it out; then per subscriber a
 * pooled copy goes down its {@code SendPipeline}: rewrite
 * ({@link org.citizenreception.media.rtp.SlotRewriter}), RTX for a retransmission, encrypt with
 * that viewer's context, send; the socket is flushed once per incoming datagram. No lock is held across I/O. Packet parsing and
 * RTCP building come from the {@code rtp} and {@code rtcp} packages.
 */
package org.citizenreception.media.conference;
