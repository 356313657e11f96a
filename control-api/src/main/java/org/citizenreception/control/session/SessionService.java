package org.citizenreception.control.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.SqlWork;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/**
 * Reception sessions: scheduling, editing, and the state machine. Knows nothing of HTTP; every
 * change runs in one transaction with its audit entry, and its live event goes out after commit.
 */
public final class SessionService {
    /** Sessions are scheduled and reported in Vietnam's time zone: a "day" is a Vietnamese day. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The media bridge's identity in the audit log and state history. */
    public static final Principal MEDIA = new Principal(0, "system:media", Role.HOST, Optional.empty());
    /** The server itself at start-up, marking what a crash left behind, in the audit log and state history. */
    public static final Principal SERVER = new Principal(0, "system:server", Role.ADMIN, Optional.empty());
    static final Duration MAX_DURATION = Duration.ofHours(24);

    private final Database database;
    private final AuditLog audit;
    private final RoomDirectory rooms;
    private final EventBus events;
    private final Clock clock;
    private final SessionRepository repository = new SessionRepository();
    private final SessionAccess access;
    private final List<SessionLifecycleListener> listeners = new CopyOnWriteArrayList<>();

    private final Revocations revocations;

    public SessionService(Database database, AuditLog audit, RoomDirectory rooms, EventBus events, Clock clock,
                          Revocations revocations) {
        this.revocations = revocations;
        this.database = database;
        this.audit = audit;
        this.rooms = rooms;
        this.events = events;
        this.clock = clock;
        this.access = new SessionAccess(rooms, audit);
    }

    /** Who may do what to which session: the object half of every access decision. */
    public SessionAccess access() {
        return access;
    }

    /** The server's time, for defaults such as the list's window: the injected clock, never the machine's directly. */
    public java.time.Instant now() {
        return clock.instant();
    }

    public void addListener(SessionLifecycleListener listener) {
        listeners.add(listener);
    }

    RoomDirectory rooms() {
        return rooms;
    }

    public SessionRepository repository() {
        return repository;
    }

    public ReceptionSession create(Principal actor, String remote, SessionInput in) {
        ReceptionSession draft = validated(null, in);
        // A host scheduling a session presides it unless they name another host.
        Long host = in.presidingUserId() != null ? in.presidingUserId() : actor.role() == Role.HOST && actor.userId() > 0 ? actor.userId() : null;
        return Transactions.inTransaction(database, c -> {
            checkStaff(c, host, in.secretaryIds());
            ReceptionSession inserted = insert(c, draft, actor);
            repository.setHost(c, inserted.id(), host);
            repository.replaceSecretaries(c, inserted.id(), in.secretaryIds() == null ? List.of() : in.secretaryIds());
            fileTypedPresiding(c, inserted.id());
            ReceptionSession saved = repository.find(c, inserted.id()).orElseThrow();
            audit.record(c, actor, remote, "session.create", "session", String.valueOf(saved.id()),
                    Map.of("state", saved.state().name(), "invitedRooms", saved.invitedRoomCount()));
            events.publishAfterCommit(LiveEvent.everyone(saved.id(), "session.created", saved));
            return saved;
        });
    }

    /**
     * A session presided by neither an account nor a leader of the list (a name typed by an older
     * client) is filed under the leader of that name, so the duty report still counts it for a person.
     */
    private void fileTypedPresiding(Connection c, long id) throws SQLException {
        ReceptionSession s = repository.find(c, id).orElseThrow();
        if (s.presidingUserId() == null && s.presidingLeaderId() == null && s.presidingOfficial() != null && !s.presidingOfficial().isBlank()) {
            repository.setLeader(c, id, LeaderService.fileTypedName(c, s.presidingOfficial(), clock.instant()));
        }
    }

    /** Inserts a validated session (also used by schedules) with its invited rooms and first history row. */
    ReceptionSession insert(Connection c, ReceptionSession draft, Principal actor) throws SQLException {
        Instant now = clock.instant();
        long id = repository.insert(c, draft, now, actor.userId());
        repository.replaceInvited(c, id, draft.invitation().resolve(rooms, day(draft.scheduledStart()), draft.hostRoomCode(), "invitation"));
        repository.appendHistory(c, id, null, SessionState.SCHEDULED, now, actor.username(), null);
        return repository.find(c, id).orElseThrow();
    }

    public ReceptionSession update(Principal actor, String remote, long id, SessionInput in) {
        if (in.version() == null) {
            throw DomainErrors.invalid("version", "is required: send the version you edited");
        }
        return Transactions.inTransaction(database, c -> {
            ReceptionSession current = require(c, id);
            if (current.version() != in.version()) {
                throw DomainErrors.conflict("session " + id + " changed meanwhile: you edited version " + in.version()
                        + ", the current version is " + current.version());
            }
            if (!current.state().editable()) {
                throw DomainErrors.conflict("a " + current.state() + " session can no longer be edited");
            }
            if (actor.role() != Role.ADMIN && !access.isHost(actor, current)) {
                throw DomainErrors.forbidden("only an administrator or the host presiding session " + id + " may edit it");
            }
            ReceptionSession changed = validated(current, in);
            checkStaff(c, in.presidingUserId(), in.secretaryIds());
            repository.updateDetails(c, changed, current.version());
            if (in.presidingUserId() != null) {
                repository.setHost(c, id, in.presidingUserId());
            }
            if (in.secretaryIds() != null) {
                repository.replaceSecretaries(c, id, in.secretaryIds());
            }
            fileTypedPresiding(c, id);

            repository.replaceInvited(c, id, changed.invitation().resolve(rooms, day(changed.scheduledStart()),
                    changed.hostRoomCode(), "invitation"));
            ReceptionSession saved = repository.find(c, id).orElseThrow();
            audit.record(c, actor, remote, "session.update", "session", String.valueOf(id),
                    Map.of("version", saved.version(), "invitedRooms", saved.invitedRoomCount()));
            events.publishAfterCommit(LiveEvent.everyone(id, "session.updated", saved));
            if (!java.util.Objects.equals(current.presidingUserId(), saved.presidingUserId()) || !current.secretaryIds().equals(saved.secretaryIds())) {
                revocations.revoke(Revocation.sessionStaff(id)); // after the update event: consoles reconnect and are checked again
            }
            return saved;
        });
    }

    /**
     * Moves a session to {@code target}.
     *
     * @throws DomainException 409 naming the allowed states when the move is illegal; 403 when the
     *                      caller's role may not make it (only the host goes live and ends)
     */
    public ReceptionSession transition(Principal actor, String remote, long id, SessionState target, String reason) {
        Fields.present("state", target);
        String why = Fields.optional("reason", reason, 1000);
        if (target == SessionState.INTERRUPTED) {
            throw DomainErrors.invalid("state", "INTERRUPTED is set by the server after a crash, never requested; end the session instead");
        }
        boolean broadcast = target == SessionState.LIVE || target == SessionState.ENDED;
        if (broadcast) {
            // Checked (and a refusal audited) before the write transaction, which a refusal would roll back.
            access.requireHost(actor, get(id), remote, "session." + target.name().toLowerCase(java.util.Locale.ROOT));
        }
        return Transactions.inTransaction(database, c -> {
            ReceptionSession current = require(c, id);
            if (broadcast && !access.isHost(actor, current)) {
                throw DomainErrors.forbidden("another host took session " + id + " meanwhile");
            }
            if (broadcast && current.presidingUserId() == null && actor != MEDIA) {
                repository.setHost(c, id, actor.userId()); // the first host to go live presides: nobody else can take over
            }
            if (current.state() == target && actor == MEDIA) {
                return current; // the bridge repeats itself after a reconnect: idempotent for it
            }
            if (current.state() == SessionState.INTERRUPTED && actor == MEDIA) {
                return current; // only the presiding host resumes an interrupted session, by choice
            }
            if (!current.state().mayMoveTo(target)) {
                throw DomainErrors.conflict("session " + id + " is " + current.state() + " and cannot become " + target
                        + "; allowed: " + current.state().next().stream().filter(s -> s != SessionState.INTERRUPTED).toList());
            }
            Instant now = clock.instant();
            boolean firstStart = target == SessionState.LIVE && current.state() != SessionState.INTERRUPTED; // a resume keeps the start
            repository.setState(c, id, target, firstStart ? now : null, target == SessionState.ENDED ? now : null);
            repository.appendHistory(c, id, current.state(), target, now, actor.username(), why.isEmpty() ? null : why);
            for (SessionLifecycleListener l : listeners) {
                l.sessionStateChanged(c, current, target);
            }
            ReceptionSession saved = repository.find(c, id).orElseThrow();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("from", current.state().name());
            detail.put("to", target.name());
            if (current.state() == SessionState.INTERRUPTED) {
                detail.put("after", "interruption");
            }
            audit.record(c, actor, remote, "session.state", "session", String.valueOf(id), detail);
            events.publishAfterCommit(LiveEvent.everyone(id, "session.state", Map.of("sessionId", id, "state", target,
                    "previous", current.state(), "at", now)));
            if (target == SessionState.ENDED || target == SessionState.CANCELLED || target == SessionState.ARCHIVED) {
                revocations.revoke(Revocation.sessionClosed(id)); // after the state event, so consoles learn why
            }
            return saved;
        });
    }

    /**
     * Marks a session that was LIVE when the server process died as INTERRUPTED, as of the last time
     * the process was known alive, in one transaction with {@code alsoInTransaction} (attendance
     * closed at that time), its history row, its audit entry (with the reason) and its event.
     * A session no longer LIVE is left alone, so a second call changes nothing.
     *
     * @return whether the session was marked
     */
    public boolean markInterrupted(long id, Instant lastAlive, String reason, SqlWork<Void> alsoInTransaction) {
        return Transactions.inTransaction(database, c -> {
            ReceptionSession current = require(c, id);
            if (current.state() != SessionState.LIVE) {
                return false;
            }
            alsoInTransaction.run(c);
            repository.setState(c, id, SessionState.INTERRUPTED, null, null);
            repository.appendHistory(c, id, SessionState.LIVE, SessionState.INTERRUPTED, lastAlive, SERVER.username(), reason);
            for (SessionLifecycleListener l : listeners) {
                l.sessionStateChanged(c, current, SessionState.INTERRUPTED);
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("from", SessionState.LIVE.name());
            detail.put("to", SessionState.INTERRUPTED.name());
            detail.put("lastAlive", lastAlive.toString());
            detail.put("reason", reason);
            audit.record(c, SERVER, null, "session.state", "session", String.valueOf(id), detail);
            events.publishAfterCommit(LiveEvent.everyone(id, "session.state", Map.of("sessionId", id, "state", SessionState.INTERRUPTED,
                    "previous", SessionState.LIVE, "at", lastAlive)));
            return true;
        });
    }

    /** When the session's last audit entry was written: the latest thing known to have happened to it. */
    public Optional<Instant> lastAuditedAt(long id) {
        return Transactions.read(database, c -> {
            try (var ps = c.prepareStatement("SELECT at FROM audit_log WHERE entity_type = 'session' AND entity_id = ? ORDER BY seq DESC LIMIT 1")) {
                ps.setString(1, String.valueOf(id));
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** Ids of the sessions LIVE in the database now: at start-up, those a crash left behind. */
    public List<Long> liveSessionIds() {
        return Transactions.read(database, c -> repository.idsInState(c, SessionState.LIVE));
    }

    /** The media bridge reports that the host's stream started: same effect as the host going live. */
    public void mediaReportedLive(long sessionId) {
        transition(MEDIA, "media", sessionId, SessionState.LIVE, "reported by the media bridge");
    }

    /** The media bridge reports that the host's stream ended for good. */
    public void mediaReportedEnded(long sessionId) {
        transition(MEDIA, "media", sessionId, SessionState.ENDED, "reported by the media bridge");
    }

    public ReceptionSession get(long id) {
        return Transactions.read(database, c -> require(c, id));
    }

    /** A room operator sees only sessions their room is invited to; staff those of their assignment or unit's area. */
    public ReceptionSession getFor(Principal p, long id) {
        return Transactions.read(database, c -> {
            ReceptionSession s = require(c, id);
            if (p.role() == Role.ROOM_OPERATOR && (p.roomCode().isEmpty() || !repository.isInvited(c, id, p.roomCode().get()))) {
                throw DomainErrors.forbidden("your room is not invited to session " + id);
            }
            if (!access.mayWorkOn(p, s)) {
                throw DomainErrors.forbidden("session " + id + " is neither assigned to you nor in your unit's area");
            }
            return s;
        });
    }

    public List<ReceptionSession> list(Principal p, Instant from, Instant to, SessionState state, int limit) {
        String room = p.role() == Role.ROOM_OPERATOR ? p.roomCode().orElse("") : null;
        return Transactions.read(database, c -> repository.list(c, from, to, state, room, limit)).stream()
                .filter(s -> access.mayWorkOn(p, s)).toList();
    }

    /** The named host must be an enabled HOST account, each named secretary an enabled SECRETARY account. */
    private void checkStaff(Connection c, Long presidingUserId, List<Long> secretaryIds) throws SQLException {
        if (presidingUserId != null && !repository.enabledRole(c, presidingUserId).map(Role.HOST.name()::equals).orElse(false)) {
            throw DomainErrors.invalid("presidingUserId", "must be the id of an enabled HOST account");
        }
        if (secretaryIds != null) {
            if (secretaryIds.size() > 50) {
                throw DomainErrors.invalid("secretaryIds", "at most 50 secretaries");
            }
            for (Long id : secretaryIds) {
                if (id == null || !repository.enabledRole(c, id).map(Role.SECRETARY.name()::equals).orElse(false)) {
                    throw DomainErrors.invalid("secretaryIds", "must list ids of enabled SECRETARY accounts; " + id + " is not one");
                }
            }
        }
    }

    /** Whether {@code roomCode} is invited to session {@code id}: one indexed lookup, where the list reads every room of an "all rooms" invitation. */
    public boolean isInvited(long id, String roomCode) {
        return Transactions.read(database, c -> repository.isInvited(c, id, roomCode));
    }

    public List<String> invitedRooms(long id) {
        return Transactions.read(database, c -> {
            require(c, id);
            return repository.invitedRooms(c, id);
        });
    }

    ReceptionSession require(Connection c, long id) throws SQLException {
        return repository.find(c, id).orElseThrow(() -> DomainErrors.notFound("session " + id));
    }

    static LocalDate day(Instant instant) {
        return instant.atZone(ZONE).toLocalDate();
    }

    /** Merges {@code in} over {@code current} (null on create) and checks every field. */
    ReceptionSession validated(ReceptionSession current, SessionInput in) {
        List<FieldError> errors = new ArrayList<>();
        String title = in.title() != null || current == null ? check(errors, () -> Fields.required("title", in.title(), 300)) : current.title();
        Instant start = pick(errors, "scheduledStart", in.scheduledStart(), current == null ? null : current.scheduledStart());
        Instant end = pick(errors, "scheduledEnd", in.scheduledEnd(), current == null ? null : current.scheduledEnd());
        boolean newPresiding = in.presidingUserId() != null || in.presidingLeaderId() != null || in.presidingOfficial() != null || current == null;
        PresidingOfficial presiding = newPresiding
                ? check(errors, () -> PresidingOfficial.resolve(database, in.presidingUserId(), in.presidingLeaderId(), in.presidingOfficial()))
                : new PresidingOfficial(current.presidingOfficial(), current.presidingUserId(), current.presidingLeaderId());
        String host = in.hostRoomCode() != null || current == null ? in.hostRoomCode() : current.hostRoomCode();
        if (host == null || rooms.find(host).isEmpty()) {
            errors.add(new FieldError("hostRoomCode", "must be the code of an existing room"));
        }
        Invitation invitation = in.invitation() != null ? in.invitation() : current == null ? Invitation.all() : current.invitation();
        ReceptionSession.Mode mode = in.mode() != null ? in.mode() : current == null ? ReceptionSession.Mode.ONLINE : current.mode();
        boolean recording = in.recording() != null ? in.recording() : current == null || current.recording();
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                errors.add(new FieldError("scheduledEnd", "must be after scheduledStart"));
            } else if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
                errors.add(new FieldError("scheduledEnd", "a session lasts at most 24 hours"));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainErrors.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return new ReceptionSession(current == null ? 0 : current.id(), title, start, end, presiding.name(), presiding.userId(), host,
                invitation, mode,
                recording, current == null ? SessionState.SCHEDULED : current.state(), null, null, null,
                current == null ? null : current.scheduleId(), current == null ? null : current.occurrenceDate(),
                current == null ? 1 : current.version(), 0).withPresidingLeader(presiding == null ? null : presiding.leaderId());
    }

    private static Instant pick(List<FieldError> errors, String field, Instant value, Instant current) {
        Instant v = value != null ? value : current;
        if (v == null) {
            errors.add(new FieldError(field, "is required"));
        }
        return v;
    }

    private static <T> T check(List<FieldError> errors, Supplier<T> s) {
        try {
            return s.get();
        } catch (DomainException e) {
            errors.addAll(e.fieldErrors());
            return null;
        }
    }
}
