package org.citizenreception.control.media;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.attendance.AttendanceRecorder;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.floor.FloorListener;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.media.MediaEventListener;
import org.citizenreception.media.conference.SdpAnswerResult;
import org.citizenreception.media.conference.SlotName;
import org.citizenreception.media.stats.EndpointStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conference per live reception session, and the record of whose each endpoint is.
 *
 * <p>Media events arrive on the bridge's threads, which must never wait for a database fsync; they
 * are handed to one ordered worker thread, so a room's connect is always stored before its
 * disconnect and the packet path never stalls on SQLite.
 */
public final class SessionMedia implements MediaEventListener, FloorListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionMedia.class);

    private final ConferenceBridge bridge;
    /** A room's code and its parents' (nearest first): the regions its endpoints may be placed in. */
    private final java.util.function.Function<String, List<String>> roomPath;
    /** Each session's host room and its parents, read once (at its first endpoint): where its root bridge goes. */
    private final Map<Long, List<String>> sessionPaths = new ConcurrentHashMap<>();
    private final AttendanceRecorder attendance;
    private final SessionService sessions;
    private final EventBus events;
    private final Clock clock;
    private final Map<String, MediaParticipant> participants = new ConcurrentHashMap<>();
    /**
     * Each endpoint's current ICE session: its entity-tag (RFC 9725 §4.3.1), since PATCHes may
     * arrive out of order and the tag tells one meant for an older ICE session apart; and the
     * client's ufrag, since a trickle fragment repeats it while a restart brings a new one.
     */
    private final Map<String, IceSessionState> iceSessions = new ConcurrentHashMap<>();
    private final Map<Long, AutoCloseable> sessionSubscriptions = new ConcurrentHashMap<>();
    /** Rooms' simulcast layer pins by "session/room": live state, applied to the room's viewers as they join. */
    private final Map<String, LayerPin> layerPins = new ConcurrentHashMap<>();
    /** Endpoints reported interrupted and not yet heard again: their gap is already recorded as a disconnect. */
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    /** When each endpoint connected: a gap never starts before its own connection. */
    private final Map<String, Instant> connectedAt = new ConcurrentHashMap<>();
    /**
     * One endpoint per (session, opener, role): a room reopening its TV page, or a host reloading the
     * console, replaces its endpoint instead of adding one beside it. The newest wins, but only once
     * it is connected (make before break: the old one plays on while the new one sets up, so a page
     * switching to sound only never drops out of the program or of attendance); meanwhile at most one
     * more waits to connect, so offers posted in a loop never pile up endpoints.
     */
    private final Map<String, String> liveEndpointByOwner = new ConcurrentHashMap<>();
    private final Map<String, String> pendingEndpointByOwner = new ConcurrentHashMap<>();
    /** Endpoints that ended recently and why, so a late DELETE or PATCH gets a true answer (not 404). */
    private final Map<String, EndedEndpoint> ended = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, EndedEndpoint> eldest) {
                    return size() > ENDED_REMEMBERED;
                }
            });
    /** About a day of reconnects of 200 rooms; each entry is a few dozen bytes. */
    private static final int ENDED_REMEMBERED = 4096;
    private final org.citizenreception.control.limits.LimitRefusals refusals;
    /** The layout and the share on each session's stage, for room screens. */
    private final StageState stage;
    private final ExecutorService domainWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "media-events");
        t.setDaemon(true);
        return t;
    });

    public SessionMedia(ConferenceBridge bridge, AttendanceRecorder attendance, SessionService sessions, EventBus events,
                        Clock clock) {
        this(bridge, room -> List.of(room), attendance, sessions, events, clock,
                org.citizenreception.control.limits.LimitRefusals.unregistered());
    }

    public SessionMedia(ConferenceBridge bridge, java.util.function.Function<String, List<String>> roomPath,
                        AttendanceRecorder attendance, SessionService sessions, EventBus events,
                        Clock clock, org.citizenreception.control.limits.LimitRefusals refusals) {
        this.refusals = refusals;
        this.stage = new StageState(events);
        this.bridge = bridge;
        this.roomPath = roomPath;
        this.attendance = attendance;
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
        bridge.setEventListener(this);
    }

    /** Answers a WHIP offer: the caller's audio and video go into {@code slot} of the session's stage. */
    SdpAnswerResult publish(Principal caller, long sessionId, Optional<String> roomCode, SlotName slot, String offer) {
        MediaParticipant participant = new MediaParticipant(sessionId, newEndpointId(), caller.username(), roomCode,
                Optional.of(slot), caller);
        return join(participant, offer, () -> bridge.publish(conferenceId(sessionId), participant.endpointId(),
                placement(participant), offer, slot));
    }

    /**
     * Answers a WHIP offer into the content slot: a shared screen. It takes the stage from any share
     * before it (whoever shared), which ends. {@code sharingRoom} is the room holding the floor, empty
     * for the host; a room that lost the floor while its offer was answered has its share ended at once.
     *
     * @throws org.citizenreception.control.error.DomainException (403) when the room no longer holds the floor
     */
    SdpAnswerResult share(Principal caller, long sessionId, Optional<String> roomCode, Optional<String> sharingRoom, String offer) {
        SdpAnswerResult result = publish(caller, sessionId, roomCode, SlotName.CONTENT, offer);
        MediaParticipant sharer = participants.get(result.endpointId());
        if (sharingRoom.isPresent() && !sharingRoom.get().equals(sessions.get(sessionId).floorRoomCode())) {
            if (sharer != null) {
                end(sharer, EndedEndpoint.Reason.LEFT);
            }
            throw org.citizenreception.control.error.DomainErrors.forbidden("Room " + sharingRoom.get()
                    + " lost the floor; only the host or the room holding the floor shares content");
        }
        stage.shareStarted(sessionId, result.endpointId(), sharingRoom);
        for (MediaParticipant p : List.copyOf(participants.values())) {
            if (p != sharer && p.sessionId() == sessionId && p.slot().orElse(null) == SlotName.CONTENT) {
                log.info("session {}: share {} replaced by {}", sessionId, p.endpointId(), result.endpointId());
                end(p, EndedEndpoint.Reason.REPLACED);
            }
        }
        return result;
    }

    /** Ends whatever is shared on the session's stage (the host's stop); false when nothing was. */
    boolean stopSharing(long sessionId) {
        List<MediaParticipant> shares = participants.values().stream()
                .filter(p -> p.sessionId() == sessionId && p.slot().orElse(null) == SlotName.CONTENT).toList();
        shares.forEach(this::leave);
        return !shares.isEmpty();
    }

    /** Each session's stage layout and share, as room screens lay them out. */
    public StageState stage() {
        return stage;
    }

    /** Answers a WHEP offer: the caller receives the program (and the guest slot when offered). */
    SdpAnswerResult subscribe(Principal caller, long sessionId, Optional<String> roomCode, String offer) {
        return subscribe(caller, sessionId, roomCode, offer, System.nanoTime());
    }

    /**
     * As above, the viewer's join timed from {@code offerReceivedNanos} ({@link System#nanoTime()}
     * when the POST reached its handler); {@link #answerSent} marks the answer.
     */
    SdpAnswerResult subscribe(Principal caller, long sessionId, Optional<String> roomCode, String offer, long offerReceivedNanos) {
        MediaParticipant participant = new MediaParticipant(sessionId, newEndpointId(), caller.username(), roomCode,
                Optional.empty(), caller);
        SdpAnswerResult answer = join(participant, offer, () -> bridge.subscribe(conferenceId(sessionId), participant.endpointId(),
                placement(participant), offer, offerReceivedNanos));
        roomCode.map(room -> layerPins.get(sessionId + "/" + room)).ifPresent(pin ->
                bridge.pinLayer(conferenceId(sessionId), participant.endpointId(), pin.layerIndex()));
        return answer;
    }

    /**
     * Pins the video of every viewer the room has in the session to {@code pin}'s layer ({@link
     * LayerPin#AUTO}: the room's bandwidth chooses again), now and when it reconnects.
     */
    void pinLayer(long sessionId, String roomCode, LayerPin pin) {
        if (pin == LayerPin.AUTO) {
            layerPins.remove(sessionId + "/" + roomCode);
        } else {
            layerPins.put(sessionId + "/" + roomCode, pin);
        }
        for (MediaParticipant p : participants.values()) {
            if (p.sessionId() == sessionId && p.slot().isEmpty() && p.roomCode().filter(roomCode::equals).isPresent()) {
                bridge.pinLayer(conferenceId(sessionId), p.endpointId(), pin.layerIndex());
            }
        }
    }

    /**
     * A room's endpoints go by the room's region; the host's publisher goes on the session's root
     * bridge, which cascading bridges place by the session's host room.
     */
    private EndpointPlacement placement(MediaParticipant participant) {
        boolean hostPublisher = participant.slot().orElse(null) == SlotName.MAIN && participant.roomCode().isEmpty();
        List<String> sessionPath = sessionPaths.computeIfAbsent(participant.sessionId(), id -> {
            String hostRoom = sessions.get(id).hostRoomCode();
            return hostRoom == null ? List.of() : roomPath.apply(hostRoom);
        });
        return new EndpointPlacement(participant.roomCode().map(roomPath).orElse(List.of()), hostPublisher, sessionPath);
    }

    /** The answer to {@code endpointId}'s offer is ready to go back: its join timeline's second step. */
    void answerSent(String endpointId) {
        MediaParticipant participant = participants.get(endpointId);
        if (participant != null) {
            bridge.answerSent(conferenceId(participant.sessionId()), endpointId);
        }
    }

    private SdpAnswerResult join(MediaParticipant participant, String offer,
                                 java.util.function.Supplier<SdpAnswerResult> answer) {
        followSession(participant.sessionId());
        participants.put(participant.endpointId(), participant);
        iceSessions.put(participant.endpointId(), new IceSessionState(newIceSessionTag(), iceUfrag(offer).orElse("")));
        SdpAnswerResult result;
        try {
            result = answer.get();
        } catch (RuntimeException e) {
            participants.remove(participant.endpointId());
            iceSessions.remove(participant.endpointId());
            throw e;
        }
        // Only once the new endpoint exists: an offer refused leaves the old ones be.
        replace(pendingEndpointByOwner.put(ownerKey(participant), participant.endpointId()), participant);
        return result;
    }

    /** Ends {@code previousId} (if still there and not {@code newer} itself), replaced by {@code newer}. */
    private void replace(String previousId, MediaParticipant newer) {
        MediaParticipant previous = previousId == null || previousId.equals(newer.endpointId()) ? null : participants.get(previousId);
        if (previous != null) {
            log.info("session {}: endpoint {} replaced by {} of the same opener", newer.sessionId(), previousId,
                    newer.endpointId());
            refusals.refused(org.citizenreception.control.limits.LimitRefusals.Limit.ENDPOINT_REPLACED);
            end(previous, EndedEndpoint.Reason.REPLACED);
        }
    }

    /** One live endpoint per session, opener (account or room token) and role (viewer, or the slot published). */
    private static String ownerKey(MediaParticipant p) {
        return p.sessionId() + "|" + p.username() + "|" + p.slot().map(Enum::name).orElse("viewer");
    }

    /** Why an endpoint is gone, remembered for its owner's late DELETE or PATCH. */
    record EndedEndpoint(long sessionId, String username, Reason reason) {
        enum Reason { LEFT, REPLACED }
    }

    /** The endpoint ended recently (left, closed or replaced), if it is still remembered. */
    Optional<EndedEndpoint> ended(long sessionId, String endpointId) {
        return Optional.ofNullable(ended.get(endpointId)).filter(e -> e.sessionId() == sessionId);
    }

    /** The strong entity-tag (quotes included) naming one ICE session, and the client's ufrag in it. */
    record IceSessionState(String tag, String clientUfrag) {
    }

    /** The first {@code a=ice-ufrag} of an offer or fragment (BUNDLE: one ICE session for every m-line). */
    static Optional<String> iceUfrag(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return Optional.of(line.substring("a=ice-ufrag:".length()).trim());
            }
        }
        return Optional.empty();
    }

    /** A restarted endpoint's answer fragment and the entity-tag of its new ICE session. */
    record IceRestart(String answerFragment, String iceSessionTag) {
    }

    /** The endpoint's current ICE session; empty once it has gone. */
    Optional<IceSessionState> iceSession(String endpointId) {
        return Optional.ofNullable(iceSessions.get(endpointId));
    }

    /**
     * ICE restart (WHIP/WHEP PATCH): the endpoint takes the offerer's new credentials and gets new
     * ones of its own, which make a new ICE session with a new tag. The caller serialises restarts
     * of one endpoint, so the tag it checked is the one replaced.
     *
     * @throws IllegalArgumentException when the fragment has no usable ICE credentials
     * @throws org.citizenreception.media.conference.ConferenceClosedException when the endpoint has closed meanwhile
     */
    Optional<IceRestart> restartIce(MediaParticipant participant, String fragment) {
        Optional<String> restarted = bridge.restartIce(conferenceId(participant.sessionId()), participant.endpointId(), fragment);
        if (restarted.isEmpty()) {
            return Optional.empty();
        }
        String answer = restarted.get();
        String tag = newIceSessionTag();
        String clientUfrag = iceUfrag(fragment).orElse("");
        iceSessions.computeIfPresent(participant.endpointId(), (id, old) -> new IceSessionState(tag, clientUfrag));
        return Optional.of(new IceRestart(answer, tag));
    }

    private static String newIceSessionTag() {
        return '"' + UUID.randomUUID().toString().replace("-", "") + '"';
    }

    Optional<MediaParticipant> participant(long sessionId, String endpointId) {
        return Optional.ofNullable(participants.get(endpointId)).filter(p -> p.sessionId() == sessionId);
    }

    /** The bridge the endpoint runs on, for the host's room wall; empty when embedded. */
    Optional<String> bridgeOf(MediaParticipant participant) {
        return bridge.bridgeOf(conferenceId(participant.sessionId()), participant.endpointId());
    }

    /** Ends one endpoint (WHIP/WHEP DELETE); the disconnect reaches attendance through the bridge's event. */
    void leave(MediaParticipant participant) {
        end(participant, EndedEndpoint.Reason.LEFT);
    }

    private void end(MediaParticipant participant, EndedEndpoint.Reason reason) {
        ended.put(participant.endpointId(), new EndedEndpoint(participant.sessionId(), participant.username(), reason));
        if (participant.slot().orElse(null) == SlotName.CONTENT) {
            stage.shareEnded(participant.sessionId(), participant.endpointId());
        }
        liveEndpointByOwner.remove(ownerKey(participant), participant.endpointId());
        pendingEndpointByOwner.remove(ownerKey(participant), participant.endpointId());
        if (!bridge.closeEndpoint(conferenceId(participant.sessionId()), participant.endpointId())) {
            // no disconnect event will come from a bridge that did not close it: the room leaves attendance now
            participants.remove(participant.endpointId());
            iceSessions.remove(participant.endpointId());
            boolean wasConnected = connectedAt.remove(participant.endpointId()) != null;
            if (wasConnected && !interrupted.remove(participant.endpointId())) {
                var at = clock.instant();
                participant.roomCode().ifPresent(room -> domainWorker.execute(() -> recordSafely(() -> attendance.roomDisconnected(
                        String.valueOf(participant.sessionId()), room, participant.endpointId(), at, "closed"), participant.endpointId())));
            }
        }
    }

    /** The session's end must close its conference wherever it runs (the bridge creates it with the first endpoint). */
    private void followSession(long sessionId) {
        sessionSubscriptions.computeIfAbsent(sessionId, sid -> events.subscribe(sid, this::onSessionEvent));
    }

    /** A session that ends or is cancelled takes its conference (and every endpoint in it) down. */
    private void onSessionEvent(LiveEvent event) {
        if (!"session.state".equals(event.type()) || !(event.staffView() instanceof Map<?, ?> view)) {
            return;
        }
        Object state = view.get("state");
        if (state == SessionState.ENDED || state == SessionState.CANCELLED || state == SessionState.ARCHIVED) {
            bridge.closeConference(conferenceId(event.sessionId()));
            stage.forget(event.sessionId());
            sessionPaths.remove(event.sessionId());
            AutoCloseable subscription = sessionSubscriptions.remove(event.sessionId());
            if (subscription != null) {
                domainWorker.execute(() -> closeQuietly(subscription));
            }
        }
    }

    /**
     * Ends every endpoint the revocation covers: a signed-out or disabled account's, a revoked join
     * token's, and on a change of host the main-slot publisher of a host who no longer presides.
     * Closing the endpoint stops its media at once; the bridge's disconnect event updates attendance.
     */
    public void revoke(Revocation r) {
        for (MediaParticipant p : participants.values()) {
            if (!r.covers(p.opener(), p.sessionId())) {
                continue;
            }
            if (r.kind() == Revocation.Kind.SESSION_STAFF && !(p.slot().isPresent() && p.roomCode().isEmpty()
                    && !sessions.access().isHost(p.opener(), sessions.get(p.sessionId())))) {
                continue; // a reassignment ends only the stream of a host who no longer presides
            }
            log.info("session {}: endpoint {} closed: {}", p.sessionId(), p.endpointId(), r.reason());
            leave(p);
        }
    }

    public static String conferenceId(long sessionId) {
        return "session-" + sessionId;
    }

    private static String newEndpointId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void endpointConnected(String conferenceId, String endpointId, InetSocketAddress remote) {
        MediaParticipant p = participants.get(endpointId);
        if (p == null || ended.containsKey(endpointId)) {
            return; // already ended (replaced while it set up): it must not displace the live one
        }
        pendingEndpointByOwner.remove(ownerKey(p), endpointId);
        var at = clock.instant();
        connectedAt.put(endpointId, at);
        domainWorker.execute(() -> {
            p.roomCode().ifPresent(room -> recordSafely(() -> attendance.roomConnected(String.valueOf(p.sessionId()), room,
                    endpointId, at), endpointId));
            if (p.slot().orElse(null) == SlotName.MAIN) {
                goLiveIfScheduled(p.sessionId());
            }
        });
        // Only after the new endpoint's connection is queued for attendance: the old one's leave comes
        // second, so a room switching programs (make before break) never shows a gap.
        replace(liveEndpointByOwner.put(ownerKey(p), endpointId), p);
    }

    /**
     * A room whose line dropped leaves attendance now, not when consent expires: the report then
     * shows the gap. The endpoint stays open; it comes back by {@link #endpointResumed} or the room
     * reconnects with a new endpoint.
     */
    @Override
    public void endpointInterrupted(String conferenceId, String endpointId, long silentMillis) {
        MediaParticipant p = participants.get(endpointId);
        if (p == null || p.roomCode().isEmpty() || !interrupted.add(endpointId)) {
            return;
        }
        // The gap starts when the room was last heard from.
        Instant lastHeard = clock.instant().minusMillis(silentMillis);
        Instant connected = connectedAt.getOrDefault(endpointId, lastHeard);
        Instant at = lastHeard.isBefore(connected) ? connected : lastHeard;
        domainWorker.execute(() -> recordSafely(() -> attendance.roomDisconnected(String.valueOf(p.sessionId()), p.roomCode().get(),
                endpointId, at, "interrupted"), endpointId));
    }

    @Override
    public void endpointResumed(String conferenceId, String endpointId, InetSocketAddress remote) {
        MediaParticipant p = participants.get(endpointId);
        if (p == null || !interrupted.remove(endpointId)) {
            return;
        }
        var at = clock.instant();
        domainWorker.execute(() -> recordSafely(() -> attendance.roomConnected(String.valueOf(p.sessionId()), p.roomCode().get(),
                endpointId, at), endpointId));
    }

    @Override
    public void endpointDisconnected(String conferenceId, String endpointId, String reason) {
        MediaParticipant p = participants.remove(endpointId);
        iceSessions.remove(endpointId);
        connectedAt.remove(endpointId);
        if (p != null) {
            ended.putIfAbsent(endpointId, new EndedEndpoint(p.sessionId(), p.username(), EndedEndpoint.Reason.LEFT));
            liveEndpointByOwner.remove(ownerKey(p), endpointId);
            pendingEndpointByOwner.remove(ownerKey(p), endpointId);
            if (p.slot().orElse(null) == SlotName.CONTENT) {
                stage.shareEnded(p.sessionId(), endpointId);
            }
        }
        if (p != null && ConferenceBridge.BRIDGE_LOST.equals(reason)) {
            // its client need not wait for ICE to notice: a new offer now lands on a live bridge
            events.publish(LiveEvent.everyone(p.sessionId(), "endpoint.moved", Map.of("endpoint", endpointId)));
        }
        if (p == null || interrupted.remove(endpointId)) {
            return;
        }
        var at = clock.instant();
        p.roomCode().ifPresent(room -> domainWorker.execute(() -> recordSafely(() -> attendance.roomDisconnected(
                String.valueOf(p.sessionId()), room, endpointId, at, reason), endpointId)));
    }

    /**
     * A room's traffic snapshot goes to the staff consoles (the host's room wall shows bitrate, loss
     * and round trip per tile). Only rooms: the host's own endpoints are shown by the host's browser.
     * Published straight away, not through the database: it is monitoring, not a record.
     */
    @Override
    public void endpointStats(String conferenceId, String endpointId, EndpointStats stats) {
        MediaParticipant p = participants.get(endpointId);
        if (p == null || p.roomCode().isEmpty()) {
            return;
        }
        boolean publisher = p.isPublisher();
        long bitrateBps = publisher ? stats.bitrateReceivedBps() : stats.bitrateSentBps();
        long carried = publisher ? stats.packetsReceived() : stats.packetsSent();
        double lossPct = carried + stats.packetsLost() > 0 ? 100.0 * stats.packetsLost() / (carried + stats.packetsLost()) : 0.0;
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("room", p.roomCode().get());
        view.put("direction", publisher ? "from-room" : "to-room");
        view.put("bitrateKbps", bitrateBps / 1000);
        view.put("lossPct", Math.round(lossPct * 10) / 10.0);
        view.put("rttMs", stats.roundTripMillis() > 0 ? stats.roundTripMillis() : null);
        if (!publisher) {
            // which of the host's simulcast layers the room is sent, what its line is judged to carry, and its pin
            bridge.layerOf(conferenceId(p.sessionId()), p.endpointId()).ifPresent(reading -> {
                reading.layer().ifPresent(layer -> view.put("layer", LayerPin.layerName(layer)));
                view.put("estimateKbps", reading.estimateBps() >= 0 ? reading.estimateBps() / 1000 : null);
            });
            view.put("layerPin", layerPins.getOrDefault(p.sessionId() + "/" + p.roomCode().get(), LayerPin.AUTO).wireName());
        }
        bridgeOf(p).ifPresent(bridgeId -> view.put("bridge", bridgeId)); // the host's wall shows where each room is
        events.publish(LiveEvent.staffOnly(p.sessionId(), "room.stats", view));
    }

    /** The host's stream reaching the bridge is the session going live, as if the host had pressed the button. */
    private void goLiveIfScheduled(long sessionId) {
        try {
            if (sessions.get(sessionId).state() == SessionState.SCHEDULED) {
                sessions.mediaReportedLive(sessionId);
            }
        } catch (RuntimeException e) {
            log.warn("session {} could not be set live from the media side: {}", sessionId, e.getMessage());
        }
    }

    private static void recordSafely(Runnable write, String endpointId) {
        try {
            write.run();
        } catch (RuntimeException e) {
            log.warn("endpoint {} attendance not recorded: {}", endpointId, e.getMessage());
        }
    }

    @Override
    public void floorGranted(String sessionId, String roomCode) {
        log.info("session {} floor granted to {}; the room publishes into the guest slot", sessionId, roomCode);
    }

    /**
     * A revoked room stops being heard at once: its guest publishers are closed, viewers see the slot
     * empty; its share (the content slot) ends with the floor.
     */
    @Override
    public void floorRevoked(String sessionId, String roomCode) {
        long id = Long.parseLong(sessionId);
        List<MediaParticipant> guests = participants.values().stream()
                .filter(p -> p.sessionId() == id && (p.slot().orElse(null) == SlotName.GUEST || p.slot().orElse(null) == SlotName.CONTENT)
                        && p.roomCode().map(roomCode::equals).orElse(false))
                .toList();
        guests.forEach(this::leave);
    }

    @Override
    public void close() {
        domainWorker.shutdown();
        try {
            domainWorker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessionSubscriptions.values().forEach(SessionMedia::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Unsubscribing cannot fail in a way that matters at shutdown.
        }
    }
}
