/**
 * RTCP at the packet level: compound-packet iteration and views of SR, RR, SDES, BYE, PLI, FIR,
 * generic NACK, REMB and transport-cc feedback; builders that write those packets into a ByteBuf
 * the caller provides; and the small clocked policies the bridge runs on RTCP
 * ({@link org.citizenreception.media.rtcp.KeyframeRequestLimiter},
 * {@link org.citizenreception.media.rtcp.NackGenerator},
 * {@link org.citizenreception.media.rtcp.TransportCcRecorder},
 * {@link org.citizenreception.media.rtcp.DominantSpeakerDetector}); and the report arithmetic
 * ({@link org.citizenreception.media.rtcp.ReceptionStatistics}, {@link org.citizenreception.media.rtcp.NtpTime}).
 *
 * <p>Callers are the per-packet stages of {@code transport}/{@code conference}: they decrypt SRTCP,
 * walk it with {@link org.citizenreception.media.rtcp.RtcpCompoundCursor}, hand each packet's
 * absolute offset to the matching view, and encrypt what the builders wrote. Nothing here touches
 * sockets or crypto. Views read at an absolute index (the cursor's {@code offset()}), allocate
 * nothing, and answer {@code false}/{@code -1} for malformed bytes instead of throwing.
 *
 * <p>Time: every clocked class takes a {@link java.util.function.LongSupplier} of monotonic
 * nanoseconds (production passes {@code System::nanoTime}; tests pass a settable fake), so rate
 * limits and deadlines are tested without sleeping.
 *
 * <p><b>Buffer ownership.</b> Passing a buffer transfers it; whoever drops it releases it; fan-out
 * takes a retained duplicate or a pooled copy. Views and builders never retain or release: a
 * builder only writes at the {@code writerIndex()} of the buffer it was given, which stays the
 * caller's.
 *
 * <p><b>Threads.</b> Views and builders are stateless and safe anywhere.
 * {@link org.citizenreception.media.rtcp.KeyframeRequestLimiter} and
 * {@link org.citizenreception.media.rtcp.DominantSpeakerDetector} are synchronized, because the
 * viewers and publishers that feed them sit on different event loops. The rest
 * ({@code NackGenerator}, {@code TransportCcRecorder}, {@code ReceptionStatistics},
 * {@code RtcpCompoundCursor}) are not thread-safe: each instance belongs to one Netty event loop,
 * the one running its endpoint group.
 */
package org.citizenreception.media.rtcp;
