package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.config.RecordingSettings;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.petition.PetitionView;
import org.citizenreception.control.room.Room;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionLifecycleListener;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.store.OwnerOnlyFiles;
import org.citizenreception.control.media.ConferenceBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records sessions whose recording flag is on, from LIVE to their end (Law 136/2025/QH15), then
 * seals the files and composes the program. Also recovers, at start, recordings a crash left open.
 *
 * <p>Threads: session state changes arrive inside their transaction and are acted on after the
 * commit, on this service's timer thread, which also runs the watchdog; the composition runs on
 * its own low-priority thread (and ffmpeg at nice 19). Nothing here runs on the packet path.
 */
public final class RecordingService implements SessionLifecycleListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);
    private static final long MB = 1024 * 1024;

    /** What the consoles and /health show of one session's recording. */
    public record Status(long sessionId, String state, String reason, Instant startedAt, long bytes, long elapsedSeconds) {
    }

    private final RecordingSettings settings;
    private final FfmpegTool ffmpeg;
    private final ConferenceBridge bridge;
    private final RecordingArchive archive;
    private final RoomDirectory rooms;
    private final EventBus events;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "recording", Thread.NORM_PRIORITY));
    private final ExecutorService composer = Executors.newSingleThreadExecutor(r -> thread(r, "recording-composer", Thread.MIN_PRIORITY));
    /** Timer thread only. */
    private final Map<Long, SessionRecorder> live = new ConcurrentHashMap<>();
    private final Map<Long, String> waitingForMedia = new ConcurrentHashMap<>();
    private final Map<Long, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
    private final Map<Long, Status> statuses = new ConcurrentHashMap<>();
    /** Recordings the disk floor stopped while their session went on, and why: /health lists them until a restart. */
    private final Map<Long, String> stoppedForDiskFull = new ConcurrentHashMap<>();
    /** Files the session record once a session's recording is sealed (its hashes belong in it). */
    private volatile java.util.function.LongConsumer recordFiler = id -> { };
    /** Ten minutes: long enough to watch with pauses, short enough that a copied link soon opens nothing. */
    private final PlaybackLinks playbackLinks;

    public RecordingService(RecordingSettings settings, FfmpegTool ffmpeg, ConferenceBridge bridge, RecordingArchive archive,
                            RoomDirectory rooms, EventBus events, Clock clock) {
        this.settings = settings;
        this.ffmpeg = ffmpeg;
        this.bridge = bridge;
        this.archive = archive;
        this.rooms = rooms;
        this.events = events;
        this.clock = clock;
        this.playbackLinks = new PlaybackLinks(clock, java.time.Duration.ofMinutes(10));
        ffmpeg.unavailableReason().ifPresent(reason -> log.warn("recording unavailable: {}", reason));
        timer.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        composer.execute(this::recoverInterrupted);
    }

    private static Thread thread(Runnable r, String name, int priority) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setPriority(priority);
        return t;
    }

    public void setRecordFiler(java.util.function.LongConsumer filer) {
        this.recordFiler = filer;
    }

    public RecordingArchive archive() {
        return archive;
    }

    public PlaybackLinks playbackLinks() {
        return playbackLinks;
    }

    /** Starts on LIVE when the flag is on; stops when a live session ends (or is cancelled). */
    @Override
    public void sessionStateChanged(Connection c, ReceptionSession before, SessionState after) {
        long id = before.id();
        if (after == SessionState.LIVE && before.state() != SessionState.LIVE && before.recording()) {
            String host = before.hostRoomCode();
            Transactions.afterCommit(() -> timer.execute(() -> start(id, host)));
        } else if (before.state() == SessionState.LIVE && after != SessionState.LIVE) {
            Transactions.afterCommit(() -> timer.execute(() -> stop(id, "session " + after.name().toLowerCase())));
        }
    }

    /** Why recording cannot run at all on this server, if it cannot. */
    public Optional<String> unavailableReason() {
        return ffmpeg.unavailableReason();
    }

    public Optional<Status> status(long sessionId) {
        return Optional.ofNullable(statuses.get(sessionId)).map(this::refreshed);
    }

    /** For /health: whether recording works here, why not, free disk against the floor, recordings running. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("available", ffmpeg.unavailableReason().isEmpty());
        ffmpeg.unavailableReason().ifPresent(r -> h.put("reason", r));
        long free = freeMb();
        h.put("freeMb", free);
        h.put("minFreeMb", settings.minFreeMb());
        h.put("belowMinFree", free < settings.minFreeMb());
        h.put("active", live.size());
        h.put("stoppedForDiskFull", new java.util.TreeMap<>(stoppedForDiskFull).entrySet().stream()
                .map(e -> Map.of("sessionId", e.getKey(), "reason", e.getValue())).toList());
        return h;
    }

    private Status refreshed(Status s) {
        SessionRecorder recorder = live.get(s.sessionId());
        if (recorder == null || s.startedAt() == null) {
            return s;
        }
        return new Status(s.sessionId(), s.state(), s.reason(), s.startedAt(), recorder.bytesWritten(),
                Math.max(0, (System.currentTimeMillis() - s.startedAt().toEpochMilli()) / 1000));
    }

    private void start(long sessionId, String hostRoomCode) {
        if (live.containsKey(sessionId)) {
            return;
        }
        Optional<String> unavailable = ffmpeg.unavailableReason();
        if (unavailable.isPresent()) {
            setStatus(new Status(sessionId, "UNAVAILABLE", unavailable.get(), null, 0, 0));
            return;
        }
        long free = freeMb();
        if (free < settings.minFreeMb()) {
            setStatus(new Status(sessionId, "REFUSED", "only " + free + " MB free on the recording disk; recording.min-free-mb is "
                    + settings.minFreeMb(), null, 0, 0));
            return;
        }
        String conferenceId = MediaBridgeIds.conferenceId(sessionId);
        if (!bridge.isOpen(conferenceId)) {
            waitingForMedia.put(sessionId, hostRoomCode); // live before the host's media: start when it arrives
            setStatus(new Status(sessionId, "WAITING", "waiting for the host's media", null, 0, 0));
            return;
        }
        waitingForMedia.remove(sessionId);
        try {
            Path dir = archive.sessionDir(sessionId);
            OwnerOnlyFiles.folder(dir); // recordings hold citizens' faces and voices: owner-only like the database
            SessionRecorder recorder = new SessionRecorder(sessionId, bridge, conferenceId, dir, ffmpeg.executable(),
                    settings.stall().toNanos(), System::nanoTime);
            recorder.timeline().append(System.currentTimeMillis(), "floor", "", roomName(hostRoomCode));
            subscriptions.put(sessionId, events.subscribe(sessionId, event -> onSessionEvent(recorder, event)));
            recorder.start();
            live.put(sessionId, recorder);
            setStatus(new Status(sessionId, "RECORDING", null, Instant.now(), 0, 0));
            log.info("session {} recording into {}", sessionId, dir);
        } catch (RuntimeException e) {
            log.error("session {} recording could not start", sessionId, e);
            closeSubscription(sessionId);
            setStatus(new Status(sessionId, "FAILED", "could not start: " + e.getMessage(), null, 0, 0));
        }
    }

    /**
     * Floor changes, shares on the stage and petitions become chapters (a share also a window of the
     * program); written on the timer thread, timed when they happened.
     */
    private void onSessionEvent(SessionRecorder recorder, LiveEvent event) {
        long at = System.currentTimeMillis();
        switch (event.type()) {
            case "floor.granted" -> {
                String room = event.staffView() instanceof Map<?, ?> m ? String.valueOf(m.get("room")) : "";
                timer.execute(() -> recorder.timeline().append(at, "floor", room, roomName(room)));
            }
            case "floor.revoked" -> {
                String host = hostOf(recorder);
                timer.execute(() -> recorder.timeline().append(at, "floor", "", host));
            }
            case "stage.changed" -> {
                if (event.staffView() instanceof org.citizenreception.control.media.StageState.View view) {
                    // What room screens show: a share under SPEAKER_ONLY is not on the program either.
                    boolean shown = view.content() != null && view.layout() != org.citizenreception.control.media.StageLayout.SPEAKER_ONLY;
                    String sharer = view.content() == null ? "" : view.content().roomCode() == null ? hostOf(recorder)
                            : roomName(view.content().roomCode());
                    timer.execute(() -> recorder.timeline().append(at, "content", shown ? view.layout().name() : "", sharer));
                }
            }
            case "petition.registered" -> {
                if (event.staffView() instanceof PetitionView p) {
                    String number = p.registerNumber();
                    timer.execute(() -> recorder.timeline().append(at, "petition", number));
                }
            }
            default -> {
            }
        }
    }

    /** The host's name as the first floor line of the timeline gave it. */
    private static String hostOf(SessionRecorder recorder) {
        return Timeline.read(recorder.dir()).stream().filter(e -> e.kind().equals("floor") && e.value(0).isEmpty())
                .map(e -> e.value(1)).findFirst().orElse("");
    }

    private String roomName(String code) {
        if (code == null || code.isEmpty()) {
            return "";
        }
        return rooms.find(code).map(Room::name).orElse(code);
    }

    private void stop(long sessionId, String reason) {
        waitingForMedia.remove(sessionId);
        SessionRecorder recorder = live.remove(sessionId);
        closeSubscription(sessionId);
        if (recorder == null) {
            composer.execute(() -> recordFiler.accept(sessionId)); // flagged, but nothing was recorded
            return;
        }
        long end = System.currentTimeMillis();
        recorder.stop(reason, end);
        Status before = statuses.get(sessionId);
        setStatus(new Status(sessionId, "SEALING", reason, before == null ? null : before.startedAt(), recorder.bytesWritten(), 0));
        composer.execute(() -> finish(sessionId, recorder.dir(), end, false));
    }

    /**
     * The disk fell below {@code recording.min-free-mb}: the recording stops so the disk keeps room
     * for the database and the logs, the session goes on. The parts written so far are closed by
     * their muxers (playable Matroska) and sealed; no program is composed, since composing writes a
     * file as large again. The state stays STOPPED with the reason, for the consoles' REC indicator.
     */
    private void stopForDiskFull(long sessionId, long freeMb) {
        String reason = "disk full: only " + freeMb + " MB free on the recording disk, below recording.min-free-mb "
                + settings.minFreeMb() + "; the session goes on unrecorded";
        log.error("session {}: recording stopped: {}", sessionId, reason);
        SessionRecorder recorder = live.remove(sessionId);
        closeSubscription(sessionId);
        stoppedForDiskFull.put(sessionId, reason);
        long end = System.currentTimeMillis();
        try {
            recorder.stop(reason, end);
        } catch (RuntimeException e) {
            // the disk may be too full even for the timeline's last line: the muxers were stopped before it
            log.error("session {}: the recording's end could not be noted", sessionId, e);
        }
        Status before = statuses.get(sessionId);
        setStatus(new Status(sessionId, "STOPPED", reason, before == null ? null : before.startedAt(), recorder.bytesWritten(), 0));
        try {
            archive.recordStopped(sessionId, Map.of("reason", "DISK_FULL", "freeMb", freeMb, "minFreeMb", settings.minFreeMb()));
        } catch (RuntimeException e) {
            log.error("session {}: the recording's stop could not be audited", sessionId, e);
        }
        events.publish(LiveEvent.staffOnly(sessionId, "recording.warning", Map.of("reason", "DISK_FULL", "freeMb", freeMb)));
        composer.execute(() -> {
            try {
                sealParts(sessionId, recorder.dir(), end, false);
                new Timeline(recorder.dir()).append(System.currentTimeMillis(), "sealed"); // a restart has nothing to recover
            } catch (IOException | RuntimeException e) {
                log.error("session {}: the parts of the stopped recording could not be sealed", sessionId, e);
            }
        });
    }

    /** Seals each slot's parts with the span it covers. Composer thread. */
    private void sealParts(long sessionId, Path dir, long endMillis, boolean interrupted) throws IOException {
        List<Timeline.Entry> parts = Timeline.read(dir).stream().filter(e -> e.kind().equals("part")).toList();
        for (int i = 0; i < parts.size(); i++) {
            Timeline.Entry part = parts.get(i);
            Path file = dir.resolve(part.value(0) + ".mkv");
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                continue;
            }
            String slot = part.value(0).substring(0, part.value(0).indexOf('-'));
            long partEnd = parts.subList(i + 1, parts.size()).stream().filter(p -> p.value(0).startsWith(slot + "-"))
                    .mapToLong(Timeline.Entry::millis).findFirst().orElse(endMillis);
            archive.seal(sessionId, "SLOT", file, "video/x-matroska", Instant.ofEpochMilli(part.millis()),
                    Instant.ofEpochMilli(Math.max(part.millis(), partEnd)), interrupted);
        }
    }

    /** Seals every part, composes the program and seals it with its chapters. Composer thread. */
    private void finish(long sessionId, Path dir, long endMillis, boolean interrupted) {
        try {
            sealParts(sessionId, dir, endMillis, interrupted);
            setStatus(new Status(sessionId, "COMPOSING", null, null, 0, 0));
            Optional<ProgramComposer.Result> program = new ProgramComposer(ffmpeg.executable()).compose(dir, endMillis);
            if (program.isPresent()) {
                Instant start = Instant.ofEpochMilli(endMillis - program.get().durationMillis());
                Instant end = Instant.ofEpochMilli(endMillis);
                archive.seal(sessionId, "PROGRAM", program.get().program(), "video/webm", start, end, interrupted);
                archive.seal(sessionId, "CHAPTERS", program.get().chapters(), "text/vtt", start, end, interrupted);
            }
            new Timeline(dir).append(System.currentTimeMillis(), "sealed");
            recordFiler.accept(sessionId);
            setStatus(new Status(sessionId, interrupted ? "INTERRUPTED" : "DONE", interrupted
                    ? "the server stopped during the session; the recording up to then was recovered" : null, null, 0, 0));
        } catch (IOException | RuntimeException e) {
            log.error("session {} recording could not be finished", sessionId, e);
            setStatus(new Status(sessionId, "FAILED", e.getMessage(), null, 0, 0));
        }
    }

    /**
     * A recording whose timeline has no end was cut by a crash: it ends where its files stop, its
     * parts (Matroska, readable without their index) are sealed as they are, and a program is made.
     */
    private void recoverInterrupted() {
        Path root = archive.root();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "session-*")) {
            for (Path dir : dirs) {
                List<Timeline.Entry> all = Timeline.read(dir);
                // Only what came after the last seal: a session resumed after an earlier crash records on in the same folder.
                int lastSealed = -1;
                for (int i = 0; i < all.size(); i++) {
                    lastSealed = all.get(i).kind().equals("sealed") ? i : lastSealed;
                }
                List<Timeline.Entry> entries = all.subList(lastSealed + 1, all.size());
                if (entries.isEmpty() || entries.stream().noneMatch(e -> e.kind().equals("muxer") || e.kind().equals("end"))) {
                    continue;
                }
                long sessionId = Long.parseLong(dir.getFileName().toString().substring("session-".length()));
                Optional<Timeline.Entry> ended = entries.stream().filter(e -> e.kind().equals("end")).findFirst();
                if (ended.isPresent()) {
                    // stopped, but the server went down before sealing: seal and compose now
                    finish(sessionId, dir, ended.get().millis(), ended.get().value(0).equals("interrupted"));
                    continue;
                }
                stopOrphanedMuxers(dir, entries);
                long end = lastWrite(dir);
                log.warn("session {} recording was interrupted (no end in its timeline); recovering up to {}", sessionId,
                        Instant.ofEpochMilli(end));
                new Timeline(dir).append(end, "end", "interrupted");
                finish(sessionId, dir, end, true);
            }
        } catch (IOException | RuntimeException e) {
            log.error("recovering interrupted recordings failed", e);
        }
    }

    /**
     * Muxers of a server that was killed outlive it (nothing told them to stop): each is asked to
     * finish its file (SIGTERM) if its pid still runs ffmpeg on this session's folder.
     */
    private static void stopOrphanedMuxers(Path dir, List<Timeline.Entry> entries) {
        for (Timeline.Entry e : entries) {
            if (!e.kind().equals("muxer")) {
                continue;
            }
            try {
                ProcessHandle.of(Long.parseLong(e.value(1)))
                        .filter(h -> h.info().commandLine().map(cl -> cl.contains(dir.toString())).orElse(false))
                        .ifPresent(h -> {
                            log.info("stopping orphaned muxer {} of {}", h.pid(), dir);
                            // two SIGTERMs: the second interrupts the read an idle ffmpeg waits in (see SlotMuxer.stop)
                            h.destroy();
                            try {
                                h.onExit().get(1, TimeUnit.SECONDS);
                            } catch (Exception stillRunning) {
                                h.destroy();
                                try {
                                    h.onExit().get(10, TimeUnit.SECONDS);
                                } catch (Exception timeout) {
                                    h.destroyForcibly();
                                }
                            }
                        });
            } catch (NumberFormatException ignored) {
                // a torn line
            }
        }
    }

    private static long lastWrite(Path dir) throws IOException {
        long last = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.mkv")) {
            for (Path f : files) {
                last = Math.max(last, Files.getLastModifiedTime(f).toMillis());
            }
        }
        return last;
    }

    /** Once a second: each recorder's watchdog, recordings waiting for media, and the disk floor. */
    private void watch() {
        try {
            for (Map.Entry<Long, String> waiting : new ArrayList<>(waitingForMedia.entrySet())) {
                start(waiting.getKey(), waiting.getValue());
            }
            if (live.isEmpty()) {
                return;
            }
            long free = freeMb();
            for (Map.Entry<Long, SessionRecorder> e : new ArrayList<>(live.entrySet())) {
                if (free < settings.minFreeMb()) {
                    stopForDiskFull(e.getKey(), free);
                } else {
                    e.getValue().check();
                }
            }
        } catch (RuntimeException e) {
            log.error("recording watchdog failed", e);
        }
    }

    private long freeMb() {
        try {
            Path root = archive.root();
            OwnerOnlyFiles.folder(root);
            return Files.getFileStore(root).getUsableSpace() / MB;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void setStatus(Status status) {
        Status merged = status;
        Status before = statuses.get(status.sessionId());
        if (status.startedAt() == null && before != null && before.startedAt() != null) {
            merged = new Status(status.sessionId(), status.state(), status.reason(), before.startedAt(),
                    status.bytes() == 0 ? before.bytes() : status.bytes(), status.elapsedSeconds());
        }
        if (merged.equals(before)) {
            return; // the watchdog retries a waiting recording every second: no change, no event for the consoles
        }
        statuses.put(status.sessionId(), merged);
        events.publish(LiveEvent.staffOnly(status.sessionId(), "recording.state", merged));
    }

    private void closeSubscription(long sessionId) {
        AutoCloseable s = subscriptions.remove(sessionId);
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // unsubscribing from the in-memory bus cannot fail in a way that matters
            }
        }
    }

    /** Stops running recordings cleanly (their files stay playable), then the threads. */
    @Override
    public void close() {
        try {
            timer.submit(() -> new ArrayList<>(live.keySet()).forEach(id -> stop(id, "server stopping"))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("recordings not stopped cleanly at shutdown", e);
        }
        timer.shutdownNow();
        composer.shutdown();
        try {
            if (!composer.awaitTermination(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS)) {
                composer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
