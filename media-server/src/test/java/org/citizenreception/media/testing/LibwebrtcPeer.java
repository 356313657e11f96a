package org.citizenreception.media.testing;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real libwebrtc peer (webrtc-java) for integration tests: a publisher that sends generated
 * 640x360 video and the headless audio module's capture, or a viewer that counts decoded frames. Nothing of the
 * bridge is used here: it talks to the bridge only through SDP and UDP.
 */
public final class LibwebrtcPeer implements AutoCloseable {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;
    public static final int FPS = 30;

    private final int width;
    private final int height;
    private final int fps;
    private final RTCPeerConnection connection;
    private final CustomVideoSource videoSource = new CustomVideoSource();
    /** Driven by the headless audio device module's capture thread; pushing from our own thread races with it. */
    private final AudioTrackSource audioSource;
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final AtomicInteger framesDecoded = new AtomicInteger();
    private final Map<String, TrackFrames> tracks = new java.util.concurrent.ConcurrentHashMap<>();

    /** Decoded frames of one received video track and the longest pause between two of them. */
    public static final class TrackFrames {
        private final AtomicInteger frames = new AtomicInteger();
        private volatile long lastNanos;
        private volatile long maxGapNanos;
        private volatile int lastWidth;

        /** Width of the last decoded frame (a simulcast layer shows in it), 0 before the first. */
        public int lastWidth() {
            return lastWidth;
        }

        void frame(long nowNanos, int frameWidth) {
            lastWidth = frameWidth;
            long last = lastNanos;
            if (last != 0 && nowNanos - last > maxGapNanos) {
                maxGapNanos = nowNanos - last;
            }
            lastNanos = nowNanos;
            frames.incrementAndGet();
        }

        public int frames() {
            return frames.get();
        }

        /** The longest pause since the last reset, counting a pause still going on now. */
        public long maxGapMillis() {
            long ongoing = lastNanos == 0 ? 0 : System.nanoTime() - lastNanos;
            return Math.max(maxGapNanos, ongoing) / 1_000_000;
        }

        public void resetGap() {
            maxGapNanos = 0;
        }
    }
    private final AtomicInteger framesPushed = new AtomicInteger();
    private final List<String> gathered = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicReference<RTCPeerConnectionState> state = new AtomicReference<>(RTCPeerConnectionState.NEW);
    private volatile long firstFrameNanos;
    private volatile boolean running;
    private Thread videoPusher;

    private LibwebrtcPeer(PeerConnectionFactory factory, RTCRtpTransceiverDirection direction, int pairs, String name,
                          RTCConfiguration configuration) {
        this(factory, direction, pairs, name, configuration, true, WIDTH, HEIGHT, FPS, List.of());
    }

    private LibwebrtcPeer(PeerConnectionFactory factory, RTCRtpTransceiverDirection direction, int pairs, String name,
                          RTCConfiguration configuration, boolean withAudio, int width, int height, int fps,
                          List<RTCRtpEncodingParameters> videoEncodings) {
        this.width = width;
        this.height = height;
        this.fps = fps;
        connection = factory.createPeerConnection(configuration, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                // the bridge is ICE-lite and learns our address from our checks: no trickle needed;
                // kept for tests that ask what was gathered (a relay candidate from TURN)
                gathered.add(candidate.sdp);
            }


            @Override
            public void onConnectionChange(RTCPeerConnectionState newState) {
                state.set(newState);
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                if (transceiver.getReceiver().getTrack() instanceof VideoTrack remote) {
                    TrackFrames track = tracks.computeIfAbsent(transceiver.getMid(), mid -> new TrackFrames());
                    remote.addSink(frame -> {
                        track.frame(System.nanoTime(), frame.buffer.getWidth());
                        if (framesDecoded.incrementAndGet() == 1) {
                            firstFrameNanos = System.nanoTime();
                        }
                    });
                }
            }
        });
        audioSource = factory.createAudioSource(new AudioOptions());
        videoTrack = factory.createVideoTrack(name + "-video", videoSource);
        audioTrack = factory.createAudioTrack(name + "-audio", audioSource);
        for (int i = 0; i < pairs; i++) {
            if (withAudio) {
                RTCRtpTransceiverInit audio = new RTCRtpTransceiverInit();
                audio.direction = direction;
                audio.streamIds = List.of(name);
                connection.addTransceiver(audioTrack, audio);
            }
            RTCRtpTransceiverInit video = new RTCRtpTransceiverInit();
            video.direction = direction;
            video.streamIds = List.of(name);
            if (!videoEncodings.isEmpty()) {
                video.sendEncodings = videoEncodings;
            }
            connection.addTransceiver(videoTrack, video);
        }
    }

    public static LibwebrtcPeer publisher(PeerConnectionFactory factory, String name) {
        return new LibwebrtcPeer(factory, RTCRtpTransceiverDirection.SEND_ONLY, 1, name, new RTCConfiguration());
    }

    /** A publisher of audio and a {@code width}x{@code height} picture: a test tells two publishers apart by width. */
    public static LibwebrtcPeer sizedPublisher(PeerConnectionFactory factory, String name, int width, int height) {
        return new LibwebrtcPeer(factory, RTCRtpTransceiverDirection.SEND_ONLY, 1, name, new RTCConfiguration(), true,
                width, height, FPS, List.of());
    }

    /** A publisher of video alone, as a shared screen without sound is. */
    public static LibwebrtcPeer videoOnlyPublisher(PeerConnectionFactory factory, String name) {
        return new LibwebrtcPeer(factory, RTCRtpTransceiverDirection.SEND_ONLY, 1, name, new RTCConfiguration(), false,
                WIDTH, HEIGHT, FPS, List.of());
    }

    /**
     * A publisher of three simulcast layers of a {@code width}x{@code height} picture (a quarter,
     * half and the full size, lowest first, as the host console sends them). webrtc-java has no rid
     * field: libwebrtc names the layers 0, 1 and 2 itself ({@code a=simulcast:send 0;1;2}). At
     * {@code fps} frames a second: three encodings of a large picture cost a loaded machine's CPU,
     * and libwebrtc answers CPU overuse by shrinking the top layer.
     */
    public static LibwebrtcPeer simulcastPublisher(PeerConnectionFactory factory, String name, int width, int height, int fps) {
        List<RTCRtpEncodingParameters> encodings = new java.util.ArrayList<>();
        for (double scale : new double[] {4, 2, 1}) {
            RTCRtpEncodingParameters encoding = new RTCRtpEncodingParameters();
            encoding.active = true;
            encoding.scaleResolutionDownBy = scale;
            encodings.add(encoding);
        }
        return new LibwebrtcPeer(factory, RTCRtpTransceiverDirection.SEND_ONLY, 1, name, new RTCConfiguration(), true,
                width, height, fps, encodings);
    }

    /** @param pairs 1 for the program only, 2 to receive the guest slot too, 3 the content slot as well */
    public static LibwebrtcPeer viewer(PeerConnectionFactory factory, String name, int pairs) {
        return viewer(factory, name, pairs, new RTCConfiguration());
    }

    /**
     * A viewer with its own configuration: ICE servers and a relay-only transport policy (TURN), or a
     * port allocator without UDP (ICE-TCP).
     */
    public static LibwebrtcPeer viewer(PeerConnectionFactory factory, String name, int pairs, RTCConfiguration configuration) {
        return new LibwebrtcPeer(factory, RTCRtpTransceiverDirection.RECV_ONLY, pairs, name, configuration);
    }

    /** Creates the offer and sets it as local description. */
    public String createOffer() throws Exception {
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        connection.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                offer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException(error));
            }
        });
        RTCSessionDescription description = offer.get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> set = new CompletableFuture<>();
        connection.setLocalDescription(description, observer(set));
        set.get(5, TimeUnit.SECONDS);
        return description.sdp;
    }

    /**
     * Starts an ICE restart the way a WHIP/WHEP client does before its PATCH: new local ICE
     * credentials in a new offer, set as local description.
     *
     * @return the new offer (its {@code a=ice-ufrag}/{@code a=ice-pwd} go into the PATCH fragment)
     */
    public String restartIce() throws Exception {
        connection.restartIce();
        return createOffer();
    }

    /**
     * Completes an ICE restart with the answerer's new credentials (a PATCH answer fragment): the
     * current remote description with its {@code a=ice-ufrag}/{@code a=ice-pwd} lines replaced.
     */
    public void setRemoteIceCredentials(String answerFragment) throws Exception {
        String ufrag = attribute(answerFragment, "ice-ufrag");
        String password = attribute(answerFragment, "ice-pwd");
        String sdp = connection.getRemoteDescription().sdp
                .replaceAll("a=ice-ufrag:[^\\r\\n]*", java.util.regex.Matcher.quoteReplacement("a=ice-ufrag:" + ufrag))
                .replaceAll("a=ice-pwd:[^\\r\\n]*", java.util.regex.Matcher.quoteReplacement("a=ice-pwd:" + password));
        setAnswer(sdp);
    }

    private static String attribute(String sdp, String name) {
        for (String line : sdp.split("\\r?\\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3).trim();
            }
        }
        throw new IllegalArgumentException("no a=" + name + " line in " + sdp);
    }

    public void setAnswer(String sdp) throws Exception {
        CompletableFuture<Void> set = new CompletableFuture<>();
        connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), observer(set));
        set.get(5, TimeUnit.SECONDS);
    }

    private static SetSessionDescriptionObserver observer(CompletableFuture<Void> done) {
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

    /** Starts pushing frames (30 fps, a moving bar); audio comes from the audio device module. */
    public void startMedia() {
        running = true;
        videoPusher = new Thread(this::pushVideo, "publisher-video");
        videoPusher.setDaemon(true);
        videoPusher.start();
    }

    private void pushVideo() {
        long periodNanos = 1_000_000_000L / fps;
        long next = System.nanoTime();
        int n = 0;
        while (running) {
            NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
            fill(buffer, n++, width, height);
            VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
            videoSource.pushFrame(frame);
            frame.release();
            framesPushed.incrementAndGet();
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static void fill(NativeI420Buffer buffer, int n, int width, int height) {
        ByteBuffer y = buffer.getDataY();
        int strideY = buffer.getStrideY();
        int bar = (n * 8) % width;
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                y.put(row * strideY + col, (byte) (Math.abs(col - bar) < 40 ? 235 : 16 + ((row + n) & 0x3F)));
            }
        }
        ByteBuffer u = buffer.getDataU();
        ByteBuffer v = buffer.getDataV();
        for (int i = 0; i < buffer.getStrideU() * height / 2; i++) {
            u.put(i, (byte) 128);
        }
        for (int i = 0; i < buffer.getStrideV() * height / 2; i++) {
            v.put(i, (byte) (128 + (n & 0x1F)));
        }
    }

    /** The received video track of m-line {@code mid}, or null before it arrived. */
    public TrackFrames track(String mid) {
        return tracks.get(mid);
    }

    public int framesDecoded() {
        return framesDecoded.get();
    }

    public int framesPushed() {
        return framesPushed.get();
    }

    public long firstFrameNanos() {
        return firstFrameNanos;
    }

    public RTCPeerConnectionState state() {
        return state.get();
    }

    /** The attributes of the transport stats (libwebrtc has one transport per BUNDLE group). */
    public Map<String, Object> transport() throws Exception {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        connection.getStats(report::complete);
        for (RTCStats stats : report.get(5, TimeUnit.SECONDS).getStats().values()) {
            if (stats.getType() == RTCStatsType.TRANSPORT) {
                return stats.getAttributes();
            }
        }
        return Map.of();
    }

    /** The local candidates gathered so far (SDP candidate attributes). */
    public List<String> gatheredSoFar() {
        return List.copyOf(gathered);
    }

    /**
     * The selected (nominated, succeeded) candidate pair as {@code "<local type>/<local protocol> -> <remote
     * type>/<remote protocol>"}, e.g. {@code "relay/udp -> host/udp"} or {@code "host/tcp -> host/tcp"};
     * empty until one is selected.
     */
    /**
     * {@link #selectedPath()} once libwebrtc's stats name it: media can flow before the stats mark
     * the pair nominated. Polls until then; "" when they never do within {@code within}.
     */
    public String awaitSelectedPath(java.time.Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String path = selectedPath();
        while (path.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // the poll interval of a wait with a deadline
            path = selectedPath();
        }
        return path;
    }

    public String selectedPath() throws Exception {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        connection.getStats(report::complete);
        Map<String, RTCStats> all = report.get(5, TimeUnit.SECONDS).getStats();
        for (RTCStats stats : all.values()) {
            Map<String, Object> pair = stats.getAttributes();
            if (stats.getType() == RTCStatsType.CANDIDATE_PAIR && Boolean.TRUE.equals(pair.get("nominated"))
                    && "succeeded".equals(String.valueOf(pair.get("state")).toLowerCase(java.util.Locale.ROOT))) {
                RTCStats local = all.get(String.valueOf(pair.get("localCandidateId")));
                RTCStats remote = all.get(String.valueOf(pair.get("remoteCandidateId")));
                if (local != null && remote != null) {
                    return describe(local) + " -> " + describe(remote);
                }
            }
        }
        return "";
    }

    private static String describe(RTCStats candidate) {
        Map<String, Object> a = candidate.getAttributes();
        return String.valueOf(a.get("candidateType")).toLowerCase(java.util.Locale.ROOT) + "/"
                + String.valueOf(a.get("protocol")).toLowerCase(java.util.Locale.ROOT);
    }

    /** remote-outbound-rtp stats of {@code kind} (what the sender's SRs said), summed over streams. */
    public Map<String, Long> remoteOutbound(String kind) throws Exception {
        return stats(RTCStatsType.REMOTE_OUTBOUND_RTP, kind);
    }

    /** outbound-rtp stats of {@code kind}, summed over streams. */
    public Map<String, Long> outbound(String kind) throws Exception {
        return stats(RTCStatsType.OUTBOUND_RTP, kind);
    }

    /** inbound-rtp stats of {@code kind} ("audio"/"video"): attribute name to value, summed over streams. */
    public Map<String, Long> inbound(String kind) throws Exception {
        return stats(RTCStatsType.INBOUND_RTP, kind);
    }

    private Map<String, Long> stats(RTCStatsType type, String kind) throws Exception {
        CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
        connection.getStats(report::complete);
        Map<String, Long> sums = new java.util.HashMap<>();
        for (RTCStats stats : report.get(5, TimeUnit.SECONDS).getStats().values()) {
            if (stats.getType() == type && kind.equals(stats.getAttributes().get("kind"))) {
                stats.getAttributes().forEach((key, value) -> {
                    if (value instanceof Number number) {
                        sums.merge(key, number.longValue(), Long::sum);
                    }
                });
            }
        }
        return sums;
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : new Thread[] {videoPusher}) {
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // the senders hold the tracks: detach them, or the tracks cannot be disposed
        for (dev.onvoid.webrtc.RTCRtpSender sender : connection.getSenders()) {
            connection.removeTrack(sender);
        }
        connection.close();
        videoTrack.dispose();
        audioTrack.dispose();
        videoSource.dispose();
    }
}
