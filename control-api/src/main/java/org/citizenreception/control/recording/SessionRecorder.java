package org.citizenreception.control.recording;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.citizenreception.control.media.ConferenceBridge;
import org.citizenreception.control.media.SlotFeed;
import org.citizenreception.media.conference.SlotName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live session's recording: per stage slot, a {@link SlotMuxer} fed by the bridge's recorder
 * subscription ({@link SlotFeed}). A watchdog ({@link #check}, once a second) restarts a muxer
 * that died or stalled (media flows but its file stopped growing) into a new part: the stalled one
 * is dropped from the fan-out and killed, never waited for. The parts and their start times go to
 * the {@link Timeline}.
 *
 * <p>Thread-safety: {@link #check} and {@link #stop} run on the recording service's single timer
 * thread; {@link #status} is read from anywhere.
 */
final class SessionRecorder {
    private static final Logger log = LoggerFactory.getLogger(SessionRecorder.class);
    /** A muxer that has not written its header yet may be probing a slot that only now gets media. */
    private static final int FIRST_WRITE_STALL_FACTOR = 3;
    /** ffmpeg closes a cluster at least every second while fed, so a fed muxer's file grows that often. */
    private static final long FED_RECENTLY_NANOS = 2_000_000_000L;

    /** One slot: its muxer part now running and what it has been fed. */
    private static final class Slot {
        final SlotName name;
        int part;
        SlotMuxer muxer;
        SlotFeed feed;
        boolean startNoted;
        long lastSize = -1;
        long lastGrowthNanos;
        long packetsAtLastGrowth;
        final List<Path> parts = new ArrayList<>();

        Slot(SlotName name) {
            this.name = name;
        }

        String baseName() {
            return String.format("%s-%02d", name.streamId(), part);
        }
    }

    private final long sessionId;
    private final ConferenceBridge bridge;
    private final String conferenceId;
    private final Path dir;
    private final String ffmpeg;
    private final long stallNanos;
    private final LongSupplier nanoClock;
    private final Timeline timeline;
    private final Map<SlotName, Slot> slots = new EnumMap<>(SlotName.class);
    private volatile boolean stopped;
    private volatile String stoppedReason;

    SessionRecorder(long sessionId, ConferenceBridge bridge, String conferenceId, Path dir, String ffmpeg, long stallNanos, LongSupplier nanoClock) {
        this.sessionId = sessionId;
        this.bridge = bridge;
        this.conferenceId = conferenceId;
        this.dir = dir;
        this.ffmpeg = ffmpeg;
        this.stallNanos = stallNanos;
        this.nanoClock = nanoClock;
        this.timeline = new Timeline(dir);
    }

    Timeline timeline() {
        return timeline;
    }

    Path dir() {
        return dir;
    }

    /** Starts a muxer per slot and subscribes it to the stage. */
    void start() {
        // every muxer first (each takes seconds to start on a loaded machine), then every feed: the
        // slots' recordings then begin together, when the recording is reported started
        for (SlotName name : SlotName.values()) {
            Slot slot = new Slot(name);
            slot.part = highestPart(name.streamId()); // a session resumed after a crash: its sealed parts stay untouched
            slots.put(name, slot);
            startMuxer(slot);
        }
        for (Slot slot : slots.values()) {
            feed(slot);
        }
    }

    /** The highest part number already in the folder for this slot, 0 for none. */
    private int highestPart(String streamId) {
        java.util.regex.Pattern partFile = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(streamId) + "-(\\d+)\\.mkv");
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(p -> partFile.matcher(p.getFileName().toString())).filter(java.util.regex.Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        } catch (java.io.IOException e) {
            return 0; // a new folder
        }
    }

    private void startPart(Slot slot) {
        startMuxer(slot);
        feed(slot);
    }

    private void startMuxer(Slot slot) {
        slot.part++;
        slot.startNoted = false;
        slot.lastSize = -1;
        slot.muxer = SlotMuxer.start(ffmpeg, dir, slot.baseName());
        slot.parts.add(slot.muxer.file());
        timeline.append(System.currentTimeMillis(), "muxer", slot.baseName(), String.valueOf(slot.muxer.pid()));
    }

    private void feed(Slot slot) {
        slot.lastGrowthNanos = nanoClock.getAsLong();
        slot.feed = bridge.record(conferenceId, slot.name, slot.muxer.audioRtp(), slot.muxer.videoRtp())
                .orElseThrow(() -> new org.citizenreception.media.conference.ConferenceClosedException(conferenceId + " has closed"));
        slot.packetsAtLastGrowth = slot.feed.packetsSent();
    }

    /**
     * Once a second: notes when each part's media began, restarts a dead or stalled muxer. A
     * stalled muxer's feed is closed first, so the bridge stops sending to it at once.
     */
    void check() {
        if (stopped) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (Slot slot : slots.values()) {
            noteStart(slot);
            long size = slot.muxer.fileSize();
            long packets = slot.feed.packetsSent();
            if (size == 0 && packets > 0) {
                // ffmpeg is still looking for the first keyframe (VP8 frame size): the request or the
                // keyframe may have been lost; ask again (the conference's limiter merges requests)
                slot.feed.requestKeyframe();
            }
            if (size != slot.lastSize) {
                slot.lastSize = size;
                slot.lastGrowthNanos = now;
                slot.packetsAtLastGrowth = packets;
                continue;
            }
            // fed now (a slot emptied by a floor change is idle, not stalled) yet nothing written for too long
            boolean fed = packets > slot.packetsAtLastGrowth && slot.feed.lastPacketNanos() != 0
                    && now - slot.feed.lastPacketNanos() < FED_RECENTLY_NANOS;
            long limit = size == 0 ? stallNanos * FIRST_WRITE_STALL_FACTOR : stallNanos;
            boolean stalled = fed && now - slot.lastGrowthNanos > limit;
            if (!slot.muxer.isAlive() || stalled) {
                log.warn("session {} {} muxer {}; restarting into a new part", sessionId, slot.baseName(),
                        slot.muxer.isAlive() ? "stalled" : "exited");
                slot.feed.close();
                slot.muxer.kill();
                if (slot.muxer.fileSize() == 0) {
                    slot.parts.remove(slot.muxer.file());
                }
                startPart(slot);
                slot.feed.requestKeyframe();
            }
        }
    }

    private void noteStart(Slot slot) {
        if (!slot.startNoted && slot.feed.firstPacketUnixMillis() != 0) {
            slot.startNoted = true;
            timeline.append(slot.feed.firstPacketUnixMillis(), "part", slot.baseName());
        }
    }

    /** Ends the recording: feeds closed, muxers finish their files. Returns the parts written. */
    List<Path> stop(String reason, long endUnixMillis) {
        if (stopped) {
            return List.of();
        }
        stopped = true;
        stoppedReason = reason;
        List<Path> parts = new ArrayList<>();
        for (Slot slot : slots.values()) {
            noteStart(slot);
            slot.muxer.requestStop();
        }
        for (Slot slot : slots.values()) {
            slot.feed.close();
        }
        for (Slot slot : slots.values()) {
            slot.muxer.stop(TimeUnit.SECONDS.toMillis(10));
            for (Path part : slot.parts) {
                if (part.toFile().length() > 0) {
                    parts.add(part);
                }
            }
        }
        timeline.append(endUnixMillis, "end", reason);
        log.info("session {} recording stopped ({}): {} parts", sessionId, reason, parts.size());
        return parts;
    }

    boolean isStopped() {
        return stopped;
    }

    String stoppedReason() {
        return stoppedReason;
    }

    /** Bytes written so far, every part of every slot. */
    long bytesWritten() {
        long total = 0;
        for (Slot slot : slots.values()) {
            for (Path part : slot.parts) {
                total += part.toFile().length();
            }
        }
        return total;
    }

    /** When the main slot's media began (Unix millis), 0 before. */
    long mainStartUnixMillis() {
        Slot main = slots.get(SlotName.MAIN);
        return main == null ? 0 : main.feed.firstPacketUnixMillis();
    }

    boolean hasVideo() {
        Slot main = slots.get(SlotName.MAIN);
        return main != null && main.feed.hasVideo();
    }
}
