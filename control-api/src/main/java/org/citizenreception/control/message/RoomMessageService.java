package org.citizenreception.control.message;

import org.citizenreception.control.error.DomainErrors;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.petition.PetitionInput;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.petition.PetitionView;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/**
 * Sends, replies to, lists and files room messages. A room writes only while the session is LIVE
 * (afterwards nobody is at the console to read it); staff may reply and file drafts after it ended
 * too, as they register petitions then. A room's messages are capped per session ({@link RoomMessageLimits}),
 * staff replies are not. Every write is audited and pushed to the session's consoles:
 * staff see every room's thread, a room only its own.
 */
public final class RoomMessageService {
    /** A message is a signal or a short question read at a glance during a live session, not a letter. */
    public static final int MAX_LENGTH = 280;
    static final String EVENT = "room.message";

    private final Database database;
    private final AuditLog audit;
    private final SessionService sessions;
    private final PetitionService petitions;
    private final EventBus events;
    private final Clock clock;
    private final RoomMessageLimits limits;
    private final RoomMessageRepository repository = new RoomMessageRepository();

    public RoomMessageService(Database database, AuditLog audit, SessionService sessions, PetitionService petitions, EventBus events,
                              Clock clock, RoomMessageLimits limits) {
        this.database = database;
        this.audit = audit;
        this.sessions = sessions;
        this.petitions = petitions;
        this.events = events;
        this.clock = clock;
        this.limits = limits;
    }

    /** A room's message to the session's staff: a quick code, a text, or both. */
    public RoomMessage send(Principal room, String remote, long sessionId, String roomCode, QuickMessage quick, String text) {
        if (room.role() != Role.ROOM_OPERATOR || !room.roomCode().map(roomCode::equals).orElse(false)) {
            throw DomainErrors.forbidden("only room " + roomCode + " writes in its own thread");
        }
        String body = text(text);
        if (quick == null && body.isEmpty()) {
            throw DomainErrors.invalid("text", "write a message or press a quick button");
        }
        ReceptionSession s = sessions.getFor(room, sessionId);
        if (s.state() != SessionState.LIVE) {
            throw DomainErrors.conflict("session " + sessionId + " is " + s.state() + "; rooms write while it is LIVE");
        }
        limits.admit(sessionId, roomCode);
        return Transactions.inTransaction(database, c -> {
            Instant now = clock.instant();
            long id = repository.insert(c, sessionId, roomCode, null, quick, body, room.userId() > 0 ? room.userId() : null,
                    room.username(), now);
            RoomMessage saved = repository.find(c, id).orElseThrow();
            audit.record(c, room, remote, "room-message.send", "room-message", String.valueOf(id),
                    Map.of("session", sessionId, "room", roomCode, "quick", quick == null ? "" : quick.name(), "length", body.length()));
            events.publishAfterCommit(new LiveEvent(sessionId, EVENT, saved, saved.forRoom(), roomCode));
            return saved;
        });
    }

    /** A staff reply to a room's message: lands in that room's thread, seen by the room and the other staff. */
    public RoomMessage reply(Principal staff, String remote, long sessionId, long messageId, String text) {
        String body = text(text);
        if (body.isEmpty()) {
            throw DomainErrors.invalid("text", "is required");
        }
        sessions.getFor(staff, sessionId);
        return Transactions.inTransaction(database, c -> {
            RoomMessage asked = roomMessage(c, sessionId, messageId);
            long id = repository.insert(c, sessionId, asked.roomCode(), asked.id(), null, body, staff.userId(), staff.username(),
                    clock.instant());
            RoomMessage saved = repository.find(c, id).orElseThrow();
            audit.record(c, staff, remote, "room-message.reply", "room-message", String.valueOf(id),
                    Map.of("session", sessionId, "room", asked.roomCode(), "replyTo", messageId, "length", body.length()));
            events.publishAfterCommit(new LiveEvent(sessionId, EVENT, saved, saved.forRoom(), asked.roomCode()));
            return saved;
        });
    }

    /**
     * Registers a petition from a room's message: the secretary gives what the register needs (kind,
     * petitioners); the summary defaults to the message and the origin is the message's room. Once per message.
     */
    public Map<String, Object> draftPetition(Principal staff, String remote, long sessionId, long messageId, PetitionInput in) {
        sessions.getFor(staff, sessionId);
        return Transactions.inTransaction(database, c -> {
            RoomMessage asked = roomMessage(c, sessionId, messageId);
            if (asked.petitionId() != null) {
                throw DomainErrors.conflict("message " + messageId + " is already petition " + asked.petitionId());
            }
            String summary = in.summary() != null && !in.summary().isBlank() ? in.summary() : asked.body().isBlank() ? null : asked.body();
            PetitionInput draft = new PetitionInput(in.kind(), in.complaintRound(), asked.roomCode(), in.headCount(), in.petitioners(), summary,
                    in.requests(), in.priorHandling(), in.handlerAgency(), in.complex(), in.especiallyComplex(), in.remoteArea(),
                    in.receivedOn(), null);
            PetitionView petition = petitions.register(staff, remote, sessionId, draft);
            if (!repository.linkPetition(c, messageId, petition.id(), staff.userId(), clock.instant())) {
                throw DomainErrors.conflict("message " + messageId + " was filed by someone else just now");
            }
            audit.record(c, staff, remote, "room-message.petition", "room-message", String.valueOf(messageId),
                    Map.of("session", sessionId, "petition", petition.id()));
            RoomMessage linked = asked.withPetition(petition.id());
            events.publishAfterCommit(LiveEvent.staffOnly(sessionId, EVENT, linked));
            return Map.of("message", linked, "petition", petition);
        });
    }

    /** Every thread of the session (staff), or the caller's own room's (a room). */
    public List<RoomMessage> list(Principal p, long sessionId, String roomCode) {
        sessions.getFor(p, sessionId);
        if (p.role() == Role.ROOM_OPERATOR) {
            if (roomCode == null || !p.roomCode().map(roomCode::equals).orElse(false)) {
                throw DomainErrors.forbidden("a room reads its own thread only");
            }
            return Transactions.read(database, c -> repository.list(c, sessionId, roomCode)).stream().map(RoomMessage::forRoom).toList();
        }
        return Transactions.read(database, c -> repository.list(c, sessionId, roomCode));
    }

    private RoomMessage roomMessage(java.sql.Connection c, long sessionId, long messageId) throws java.sql.SQLException {
        RoomMessage m = repository.find(c, messageId).filter(x -> x.sessionId() == sessionId)
                .orElseThrow(() -> DomainErrors.notFound("message " + messageId + " of session " + sessionId));
        if (!m.fromRoom()) {
            throw DomainErrors.invalid("message", "is a reply; answer or file the room's own message");
        }
        return m;
    }

    /** One line of visible text, at most {@value #MAX_LENGTH} characters; null is empty. */
    private static String text(String text) {
        String body = Fields.optional("text", text, MAX_LENGTH).strip();
        String problem = Fields.invisibleCharacter(body, true);
        if (problem != null) {
            throw DomainErrors.invalid("text", problem);
        }
        return body;
    }
}
