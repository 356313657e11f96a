package org.citizenreception.media.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every meter of the media bridge, created once per bridge. Names share the
 * {@code reception_media_} prefix; the only tags are closed sets (a {@link DropReason}, a
 * direction), never an address or an id.
 *
 * <p>Counters are looked up once here and kept in fields: Micrometer's registry lookup costs a
 * map access per call, too much per packet. The packet path's stages count into
 * {@link StageMeter}s, one per stage name and direction, which Micrometer reads when scraped
 * ({@code reception_media_stage_packets}, {@code _bytes}, {@code _seconds}, {@code _drops}; tags
 * {@code direction}, {@code stage} and, for drops, {@code reason}).
 */
public final class MediaMetrics {
    private final Counter packetsReceived;
    private final Counter bytesReceived;
    private final Counter packetsSent;
    private final Counter bytesSent;
    private final Counter nacksServed;
    private final Counter plisSent;
    private final Counter nacksRequested;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Counter retransmissionsRefusedRepeat;
    private final Counter retransmissionsRefusedRate;
    private final AtomicInteger activeEndpoints = new AtomicInteger();
    /** Viewers per simulcast layer: index 0 audio only, then layer 0, 1, 2 (a fourth layer and up counts as 2). */
    private final AtomicInteger[] layerViewers = new AtomicInteger[4];
    private final Counter layerSwitchesUp;
    private final Counter layerSwitchesDown;
    private final DistributionSummary viewerEstimates;
    private final Map<String, TimedWorkMeter> timedWork = new ConcurrentHashMap<>();
    private final Timer joinToFirstKeyframe;
    private final MeterRegistry registry;
    private final Map<String, StageMeter> stages = new ConcurrentHashMap<>();
    /** Per stage, which drop reasons have their meter registered (racy: registering twice is harmless). */
    private final Map<StageMeter, boolean[]> dropsRegistered = new ConcurrentHashMap<>();
    private final StageMeter.DropListener stageDrops = this::stageDropped;
    private final Map<JoinPhase, Timer> joinPhases = new EnumMap<>(JoinPhase.class);
    private final Timer dtlsCoreWait;
    private final Timer dtlsComputing;

    public MediaMetrics(MeterRegistry registry) {
        this.registry = registry;
        packetsReceived = Counter.builder("reception_media_packets_received")
                .description("UDP datagrams received on the media port").register(registry);
        bytesReceived = Counter.builder("reception_media_bytes_received")
                .baseUnit("bytes").description("UDP payload bytes received").register(registry);
        packetsSent = Counter.builder("reception_media_packets_sent")
                .description("UDP datagrams sent from the media port").register(registry);
        bytesSent = Counter.builder("reception_media_bytes_sent")
                .baseUnit("bytes").description("UDP payload bytes sent").register(registry);
        nacksServed = Counter.builder("reception_media_nacks_served")
                .description("packets retransmitted in answer to a viewer's NACK").register(registry);
        plisSent = Counter.builder("reception_media_plis_sent")
                .description("keyframe requests (PLI) sent to publishers").register(registry);
        nacksRequested = Counter.builder("reception_media_nacks_requested")
                .description("NACK messages the bridge sent to publishers for its own losses").register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("reception_media_packets_dropped")
                    .description("datagrams dropped, by reason")
                    .tag("reason", reason.tag()).register(registry));
        }
        retransmissionsRefusedRepeat = Counter.builder("reception_media_retransmissions_refused")
                .description("NACKed packets not resent to a viewer: resent too recently, or over its byte-rate budget")
                .tag("reason", "repeat").register(registry);
        retransmissionsRefusedRate = Counter.builder("reception_media_retransmissions_refused")
                .description("NACKed packets not resent to a viewer: resent too recently, or over its byte-rate budget")
                .tag("reason", "rate").register(registry);
        for (int i = 0; i < layerViewers.length; i++) {
            layerViewers[i] = new AtomicInteger();
            Gauge.builder("reception_media_layer_viewers", layerViewers[i], AtomicInteger::get)
                    .description("viewers of a simulcast slot by the layer they are sent")
                    .tag("layer", i == 0 ? "audio_only" : Integer.toString(i - 1)).register(registry);
        }
        layerSwitchesUp = Counter.builder("reception_media_layer_switches").tag("direction", "up")
                .description("a viewer moved to another simulcast layer").register(registry);
        layerSwitchesDown = Counter.builder("reception_media_layer_switches").tag("direction", "down")
                .description("a viewer moved to another simulcast layer").register(registry);
        viewerEstimates = DistributionSummary.builder("reception_media_viewer_estimate").baseUnit("bits_per_second")
                .description("viewers' bandwidth estimates (REMB), each as reported")
                .serviceLevelObjectives(100_000, 300_000, 500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000)
                .register(registry);
        Gauge.builder("reception_media_active_endpoints", activeEndpoints, AtomicInteger::get)
                .description("endpoints created and not yet closed").register(registry);
        joinToFirstKeyframe = Timer.builder("reception_media_join_to_first_keyframe")
                .description("from a viewer's subscribe to the first keyframe sent to it")
                .register(registry);
        for (JoinPhase phase : JoinPhase.values()) {
            joinPhases.put(phase, joinTimer("reception_media_join_phase", "phase", phase.tag(),
                    "one stretch of a viewer's join as the bridge sees it (see JoinPhase)", registry));
        }
        dtlsCoreWait = joinTimer("reception_media_dtls_handshake", "part", "core_wait",
                "a server DTLS handshake's waits for a core (its queue), or its computing while holding one", registry);
        dtlsComputing = joinTimer("reception_media_dtls_handshake", "part", "computing",
                "a server DTLS handshake's waits for a core (its queue), or its computing while holding one", registry);
    }

    /**
     * With a percentile histogram (1 ms to 60 s), so a benchmark reading /metrics before and after a
     * join storm can tell the storm's own p50/p95/p99 from the difference of the buckets.
     */
    private static Timer joinTimer(String name, String tagKey, String tagValue, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description).tag(tagKey, tagValue)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }

    /** What a cascade link is watched by; read when /metrics is scraped (racy reads are fine). */
    public interface LinkReadings {
        long packetsDown();

        long bytesDown();

        long packetsUp();

        long bytesUp();

        /** Media packets found missing on the link, before repair. */
        long lossesDown();

        /** Keyframe requests sent up the link for all of this bridge's viewers together. */
        long keyframeRequestsUp();

        /** The last round trip measured on the link, or -1 before the first. */
        long rttNanos();
    }

    /**
     * Registers one cascade link's meters, tagged with its id (links are few, and named by the
     * operator, so the tag stays bounded); closing the result removes them.
     */
    public AutoCloseable cascadeLink(String linkId, LinkReadings link) {
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("reception_media_cascade_packets", link, l -> l.packetsDown())
                .description("SRTP/SRTCP packets on a cascade link").tags("link", linkId, "direction", "down").register(registry));
        meters.add(FunctionCounter.builder("reception_media_cascade_packets", link, l -> l.packetsUp())
                .description("SRTP/SRTCP packets on a cascade link").tags("link", linkId, "direction", "up").register(registry));
        meters.add(FunctionCounter.builder("reception_media_cascade_bytes", link, l -> l.bytesDown()).baseUnit("bytes")
                .description("SRTP/SRTCP bytes on a cascade link").tags("link", linkId, "direction", "down").register(registry));
        meters.add(FunctionCounter.builder("reception_media_cascade_bytes", link, l -> l.bytesUp()).baseUnit("bytes")
                .description("SRTP/SRTCP bytes on a cascade link").tags("link", linkId, "direction", "up").register(registry));
        meters.add(FunctionCounter.builder("reception_media_cascade_losses", link, l -> l.lossesDown())
                .description("video packets found missing coming down a cascade link, before repair")
                .tag("link", linkId).register(registry));
        meters.add(FunctionCounter.builder("reception_media_cascade_keyframe_requests", link, l -> l.keyframeRequestsUp())
                .description("keyframe requests (PLI) sent up a cascade link for every viewer below it")
                .tag("link", linkId).register(registry));
        meters.add(Gauge.builder("reception_media_cascade_rtt_seconds", link,
                        l -> l.rttNanos() < 0 ? Double.NaN : l.rttNanos() / 1e9)
                .description("round trip on a cascade link, from its ICE consent checks")
                .tag("link", linkId).register(registry));
        return () -> meters.forEach(registry::remove);
    }

    public void received(int bytes) {
        packetsReceived.increment();
        bytesReceived.increment(bytes);
    }

    public void sent(int bytes) {
        packetsSent.increment();
        bytesSent.increment(bytes);
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    public double droppedCount(DropReason reason) {
        return dropped.get(reason).count();
    }

    public void nackServed() {
        nacksServed.increment();
    }

    /** A NACKed packet that was resent to the same viewer less than the resend interval ago. */
    public void retransmissionRefusedAsRepeat() {
        retransmissionsRefusedRepeat.increment();
    }

    /** A NACKed packet over the viewer's retransmission byte-rate budget. */
    public void retransmissionRefusedOverRate() {
        retransmissionsRefusedRate.increment();
    }

    public double retransmissionsRefusedAsRepeatCount() {
        return retransmissionsRefusedRepeat.count();
    }

    public double retransmissionsRefusedOverRateCount() {
        return retransmissionsRefusedRate.count();
    }

    public void pliSent() {
        plisSent.increment();
    }

    public void nackRequested() {
        nacksRequested.increment();
    }

    /** NACKs the bridge itself sent upstream; viewers' NACKs are answered here and never forwarded. */
    public double nacksRequestedCount() {
        return nacksRequested.count();
    }

    public double plisSentCount() {
        return plisSent.count();
    }

    public double packetsSentCount() {
        return packetsSent.count();
    }

    public double nacksServedCount() {
        return nacksServed.count();
    }

    /**
     * A viewer's layer changed ({@code -1} is audio only; {@code Integer.MAX_VALUE} before is its
     * first choice, {@code Integer.MIN_VALUE} after is its leaving): switches are counted, and the
     * viewers per layer follow.
     */
    public void layerSwitched(int before, int after) {
        if (before != Integer.MAX_VALUE && after != Integer.MIN_VALUE) {
            (after > before ? layerSwitchesUp : layerSwitchesDown).increment();
        }
        if (before != Integer.MAX_VALUE) {
            layerViewers[layerGaugeIndex(before)].decrementAndGet();
        }
        if (after != Integer.MIN_VALUE) {
            layerViewers[layerGaugeIndex(after)].incrementAndGet();
        }
    }

    private int layerGaugeIndex(int layer) {
        return Math.min(layerViewers.length - 1, Math.max(0, layer + 1));
    }

    public double layerSwitchCount() {
        return layerSwitchesUp.count() + layerSwitchesDown.count();
    }

    public void viewerEstimate(long bitrateBps) {
        viewerEstimates.record(bitrateBps);
    }

    public void endpointOpened() {
        activeEndpoints.incrementAndGet();
    }

    public void endpointClosed() {
        activeEndpoints.decrementAndGet();
    }

    /**
     * The meter of the stage named {@code stage} on {@code direction}, shared by every instance of
     * it; created and registered on first use. Call when building a stage, never per packet.
     */
    public StageMeter stage(StageMeter.Direction direction, String stage) {
        return stages.computeIfAbsent(direction.tag() + "/" + stage, key -> {
            StageMeter meter = new StageMeter(direction, stage, stageDrops);
            FunctionCounter.builder("reception_media_stage_packets", meter, StageMeter::packets)
                    .description("packets that entered a stage of the packet path")
                    .tags("direction", direction.tag(), "stage", stage).register(registry);
            FunctionCounter.builder("reception_media_stage_bytes", meter, StageMeter::bytes).baseUnit("bytes")
                    .description("bytes of the packets that entered a stage of the packet path")
                    .tags("direction", direction.tag(), "stage", stage).register(registry);
            FunctionCounter.builder("reception_media_stage_seconds", meter, m -> m.estimatedNanos() / 1e9).baseUnit("seconds")
                    .description("time spent in a stage, estimated from one packet in " + StageMeter.TIMING_SAMPLE_INTERVAL)
                    .tags("direction", direction.tag(), "stage", stage).register(registry);
            dropsRegistered.put(meter, new boolean[DropReason.values().length]);
            return meter;
        });
    }

    /**
     * The meter of the bridge's periodic task {@code task} (a fixed, small set: the 1 s tick and the
     * 100 ms fast tick), registered on first use. Call when scheduling the task, never per run.
     */
    public TimedWorkMeter timedWork(String task) {
        return timedWork.computeIfAbsent(task, name -> {
            TimedWorkMeter meter = new TimedWorkMeter(name);
            FunctionCounter.builder("reception_media_timed_runs", meter, TimedWorkMeter::runs)
                    .description("runs of a periodic task of the bridge (RTCP reports and feedback, consent, stats)")
                    .tag("task", name).register(registry);
            FunctionCounter.builder("reception_media_timed_cpu_seconds", meter, m -> m.nanos() / 1e9).baseUnit("seconds")
                    .description("CPU time the bridge's periodic tasks took on the event loop, beside the packet path's stage_seconds")
                    .tag("task", name).register(registry);
            return meter;
        });
    }

    /** Every stage meter created so far, for a profile printed at the end of a run. */
    public List<StageMeter> stages() {
        return List.copyOf(stages.values());
    }

    private void stageDropped(StageMeter meter, DropReason reason) {
        if (meter.direction() == StageMeter.Direction.RECEIVE) {
            dropped(reason);
        }
        boolean[] registered = dropsRegistered.get(meter);
        if (registered != null && !registered[reason.ordinal()]) {
            FunctionCounter.builder("reception_media_stage_drops", meter, m -> m.drops(reason))
                    .description("packets a stage of the packet path dropped, by reason")
                    .tags("direction", meter.direction().tag(), "stage", meter.stage(), "reason", reason.tag())
                    .register(registry);
            registered[reason.ordinal()] = true;
        }
    }

    public void firstKeyframe(Duration sinceJoin) {
        joinToFirstKeyframe.record(sinceJoin);
    }

    public void joinPhase(JoinPhase phase, long nanos) {
        joinPhases.get(phase).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** How many joins reached the end of {@code phase}; for tests. */
    public long joinPhaseCount(JoinPhase phase) {
        return joinPhases.get(phase).count();
    }

    /** One server DTLS handshake: its waits for a core and its computing (see HandshakeObserver). */
    public void dtlsHandshake(long coreWaitNanos, long computingNanos) {
        dtlsCoreWait.record(coreWaitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        dtlsComputing.record(computingNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Server DTLS handshakes completed; for tests. */
    public long dtlsHandshakeCount() {
        return dtlsComputing.count();
    }
}
