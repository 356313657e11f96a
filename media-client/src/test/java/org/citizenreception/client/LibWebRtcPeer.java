package org.citizenreception.client;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A libwebrtc peer connection (webrtc-java) that answers our offers: the independent side of the interop tests. */
final class LibWebRtcPeer implements AutoCloseable {
    final RTCPeerConnection pc;
    private final CountDownLatch gathered = new CountDownLatch(1);

    LibWebRtcPeer(PeerConnectionFactory factory) {
        pc = factory.createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
            }

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.countDown();
                }
            }
        });
    }

    /** Sets the offer, answers, waits for candidate gathering and returns the full answer SDP. */
    String answer(String offerSdp) {
        try {
            CompletableFuture<Void> remote = new CompletableFuture<>();
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offerSdp), setObserver(remote));
            remote.get(5, TimeUnit.SECONDS);
            CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
            pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription description) {
                    created.complete(description);
                }

                @Override
                public void onFailure(String error) {
                    created.completeExceptionally(new IllegalStateException(error));
                }
            });
            RTCSessionDescription answer = created.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> local = new CompletableFuture<>();
            pc.setLocalDescription(answer, setObserver(local));
            local.get(5, TimeUnit.SECONDS);
            gathered.await(5, TimeUnit.SECONDS);
            return pc.getLocalDescription().sdp;
        } catch (Exception e) {
            throw new IllegalStateException("libwebrtc could not answer", e);
        }
    }

    /** Creates an offer from the tracks added so far, waits for candidate gathering, returns the full offer SDP. */
    String offer() {
        try {
            CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
            pc.createOffer(new dev.onvoid.webrtc.RTCOfferOptions(), new CreateSessionDescriptionObserver() {
                @Override
                public void onSuccess(RTCSessionDescription description) {
                    created.complete(description);
                }

                @Override
                public void onFailure(String error) {
                    created.completeExceptionally(new IllegalStateException(error));
                }
            });
            CompletableFuture<Void> local = new CompletableFuture<>();
            pc.setLocalDescription(created.get(5, TimeUnit.SECONDS), setObserver(local));
            local.get(5, TimeUnit.SECONDS);
            gathered.await(5, TimeUnit.SECONDS);
            return pc.getLocalDescription().sdp;
        } catch (Exception e) {
            throw new IllegalStateException("libwebrtc could not offer", e);
        }
    }

    void accept(String answerSdp) {
        try {
            CompletableFuture<Void> remote = new CompletableFuture<>();
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answerSdp), setObserver(remote));
            remote.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("libwebrtc refused our answer", e);
        }
    }

    /** Sum of {@code attribute} over inbound-rtp stats of {@code kind}. */
    long inbound(String kind, String attribute) {
        return sum(RTCStatsType.INBOUND_RTP, kind, attribute);
    }

    long outbound(String kind, String attribute) {
        return sum(RTCStatsType.OUTBOUND_RTP, kind, attribute);
    }

    private long sum(RTCStatsType type, String kind, String attribute) {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        pc.getStats(report::complete);
        long total = 0;
        try {
            for (RTCStats s : report.get(5, TimeUnit.SECONDS).getStats().values()) {
                if (s.getType() == type && kind.equals(s.getAttributes().get("kind"))) {
                    Object v = s.getAttributes().get(attribute);
                    if (v instanceof Number n) {
                        total += n.longValue();
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return total;
    }

    private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    @Override
    public void close() {
        pc.close();
    }
}
