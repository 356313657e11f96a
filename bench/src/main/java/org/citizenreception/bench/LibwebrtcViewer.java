package org.citizenreception.bench;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.citizenreception.client.ViewerStats;
import org.citizenreception.client.signal.Signaller;
import org.citizenreception.client.stats.LatencyHistogram;

/**
 * A real libwebrtc receiver (webrtc-java) for the calibration runs: a recvonly peer connection that
 * receives, decrypts, and answers on the wire with libwebrtc's own receiver reports, transport-cc
 * feedback or REMB, NACKs and PLIs. webrtc-java 0.14 lets no decoder factory be set, so libwebrtc
 * decodes the video whether or not a sink is attached: that CPU is the viewers' (not the server's),
 * and the report states the generator's CPU. A sink is attached only until the first frame, to time
 * the join. Its figures come from {@code getStats()} (inbound-rtp), as a {@link ViewerStats}.
 */
final class LibwebrtcViewer implements MeasuredViewer {
    private final String id;
    private final RTCPeerConnection connection;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final List<VideoTrack> remoteVideo = new ArrayList<>();
    private volatile long connectStartNanos;
    private volatile long connectedNanos;
    private volatile long firstFrameNanos;
    private volatile Signaller signaller;
    private volatile boolean closed;

    LibwebrtcViewer(PeerConnectionFactory factory, String id, boolean addRecvOnlyTransceivers) {
        this.id = id;
        connection = factory.createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                // no trickle: an answer to Janus is sent once gathering completed, with every candidate
            }

            @Override
            public void onIceGatheringChange(dev.onvoid.webrtc.RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                if (state == RTCPeerConnectionState.CONNECTED && connectedNanos == 0) {
                    connectedNanos = System.nanoTime();
                    connected.complete(null);
                } else if (state == RTCPeerConnectionState.FAILED) {
                    connected.completeExceptionally(new IllegalStateException(id + ": ICE/DTLS failed"));
                }
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                if (transceiver.getReceiver().getTrack() instanceof VideoTrack video) {
                    synchronized (remoteVideo) {
                        remoteVideo.add(video);
                    }
                    video.addSink(new FirstFrame(video));
                }
            }
        });
        if (addRecvOnlyTransceivers) {
            // webrtc-java adds a transceiver with a track only; a recvonly one never sends from it.
            AudioTrack audio = factory.createAudioTrack(id + "-a", factory.createAudioSource(new AudioOptions()));
            VideoTrack video = factory.createVideoTrack(id + "-v", new CustomVideoSource());
            for (var track : List.of(audio, video)) {
                RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
                init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
                connection.addTransceiver(track, init);
            }
        }
    }

    /** Detaches itself at the first decoded frame, so the rest of the run has no per-frame Java callback. */
    private final class FirstFrame implements VideoTrackSink {
        private final VideoTrack track;

        FirstFrame(VideoTrack track) {
            this.track = track;
        }

        @Override
        public void onVideoFrame(dev.onvoid.webrtc.media.video.VideoFrame frame) {
            if (firstFrameNanos == 0) {
                firstFrameNanos = System.nanoTime();
                CompletableFuture.runAsync(() -> track.removeSink(this)); // not from inside the callback
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** WHEP: our offer, the server's answer. Blocks for signalling; completes when connected. */
    CompletableFuture<Void> connect(Signaller signaller) {
        this.signaller = signaller;
        connectStartNanos = System.nanoTime();
        try {
            RTCSessionDescription offer = describe(true);
            set(true, offer);
            set(false, new RTCSessionDescription(RTCSdpType.ANSWER, signaller.exchange(offer.sdp)));
        } catch (Exception e) {
            connected.completeExceptionally(e);
        }
        return connected;
    }

    /** Janus: its offer, our answer (with every gathered candidate, Janus is told no trickle). */
    String answer(String offerSdp) throws Exception {
        connectStartNanos = System.nanoTime();
        set(false, new RTCSessionDescription(RTCSdpType.OFFER, offerSdp));
        set(true, describe(false));
        gathered.get(10, TimeUnit.SECONDS);
        return connection.getLocalDescription().sdp;
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    private RTCSessionDescription describe(boolean offer) throws Exception {
        CompletableFuture<RTCSessionDescription> made = new CompletableFuture<>();
        CreateSessionDescriptionObserver observer = new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                made.complete(description);
            }

            @Override
            public void onFailure(String error) {
                made.completeExceptionally(new IllegalStateException(error));
            }
        };
        if (offer) {
            connection.createOffer(new RTCOfferOptions(), observer);
        } else {
            connection.createAnswer(new RTCAnswerOptions(), observer);
        }
        return made.get(10, TimeUnit.SECONDS);
    }

    private void set(boolean local, RTCSessionDescription description) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SetSessionDescriptionObserver observer = new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
        if (local) {
            connection.setLocalDescription(description, observer);
        } else {
            connection.setRemoteDescription(description, observer);
        }
        done.get(10, TimeUnit.SECONDS);
    }

    /** inbound-rtp of {@code getStats()}, as the generator's stats record (no latency: libwebrtc has no send stamp). */
    @Override
    public ViewerStats stats() {
        CompletableFuture<ViewerStats> result = new CompletableFuture<>();
        connection.getStats(report -> {
            List<ViewerStats.Stream> streams = new ArrayList<>();
            long bytes = 0;
            long plis = 0;
            long nacks = 0;
            long frames = 0;
            for (RTCStats s : report.getStats().values()) {
                if (s.getType() != RTCStatsType.INBOUND_RTP) {
                    continue;
                }
                Map<String, Object> a = s.getAttributes();
                long packets = number(a, "packetsReceived");
                long lost = Math.max(0, number(a, "packetsLost"));
                long received = number(a, "bytesReceived") + number(a, "headerBytesReceived");
                bytes += received;
                plis += number(a, "pliCount") + number(a, "firCount");
                nacks += number(a, "nackCount");
                frames += number(a, "keyFramesDecoded");
                streams.add(new ViewerStats.Stream(number(a, "ssrc"), String.valueOf(a.get("kind")), packets, received,
                        packets + lost, lost, 0, 0, number(a, "retransmittedPacketsReceived")));
            }
            long start = connectStartNanos;
            result.complete(new ViewerStats(id, 0, 0, streams, new LatencyHistogram(),
                    connectedNanos == 0 ? -1 : connectedNanos - start,
                    firstFrameNanos == 0 ? -1 : firstFrameNanos - start,
                    firstFrameNanos == 0 || connectedNanos == 0 ? -1 : firstFrameNanos - connectedNanos,
                    frames, frames, plis, nacks, bytes));
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no stats from " + id, e);
        }
    }

    private static long number(Map<String, Object> attributes, String name) {
        Object v = attributes.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public long[] joinPhaseMillis() {
        long start = connectStartNanos;
        long c = connectedNanos == 0 ? -1 : (connectedNanos - start) / 1_000_000;
        return new long[] {-1, -1, -1, -1, c};
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Signaller s = signaller;
        if (s != null) {
            s.leave();
        }
        connection.close();
    }
}
