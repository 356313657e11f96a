package org.citizenreception.control.petition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.error.ForbiddenException;
import org.citizenreception.control.error.StaleVersionException;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.petition.PetitionView.PersonalData;
import org.citizenreception.control.petition.deadline.Deadline;
import org.citizenreception.control.petition.deadline.DeadlineCalculator;
import org.citizenreception.control.petition.deadline.DeadlineCase;
import org.citizenreception.control.petition.deadline.DeadlineKind;
import org.citizenreception.control.petition.deadline.Extension;
import org.citizenreception.control.session.ReceptionSession;
import org.citizenreception.control.session.SessionAccess;
import org.citizenreception.control.session.SessionRepository;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;
import org.citizenreception.control.validation.SpreadsheetCells;

/**
 * The register's rules: registration with a gapless number, edits under optimistic concurrency,
 * status changes along {@link PetitionStatus}, annotations, extensions, splitting, search and export.
 *
 * <p>Every write is one transaction that bumps the version, appends a full snapshot to
 * petition_versions and an audit entry (with no personal data), and publishes a live event after
 * commit. Personal data never appears in an exception message, a log line or an audit detail.
 */
public final class PetitionService {
    private static final ObjectMapper JSON = HttpServer.objectMapper();
    public static final int MAX_PAGE = 500;

    private final Database database;
    private final AuditLog audit;
    private final SessionRepository sessions;
    private final SessionAccess access;
    private final EventBus events;
    private final DeadlineCalculator deadlines;
    private final Clock clock;
    private final PetitionRepository repository;

    public PetitionService(Database database, AuditLog audit, SessionRepository sessions, SessionAccess access, EventBus events,
                           DeadlineCalculator deadlines, Clock clock, IdNumberHash idHash) {
        this.repository = new PetitionRepository(idHash);
        this.database = database;
        this.audit = audit;
        this.sessions = sessions;
        this.access = access;
        this.events = events;
        this.deadlines = deadlines;
        this.clock = clock;
    }

    // ---- for the case routes (CaseService), which extend the register's writes ------------------

    PetitionRepository repository() {
        return repository;
    }

    Database database() {
        return database;
    }

    AuditLog audit() {
        return audit;
    }

    Clock clock() {
        return clock;
    }

    DeadlineCalculator deadlineCalculator() {
        return deadlines;
    }

    List<Deadline> deadlinesOf(Petition p) {
        return compute(p);
    }

    /** Hashes ID numbers stored before V20; run once at start. */
    public int hashUnhashedIdNumbers() {
        return Transactions.inTransaction(database, repository::hashUnhashedIdNumbers);
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), SessionService.ZONE);
    }

    /** Registers a petition raised in {@code sessionId}; the register number is allocated in the same transaction. */
    public PetitionView register(Principal actor, String remote, long sessionId, PetitionInput in) {
        LocalDate today = today();
        Petition draft = merge(null, in, sessionId, today);
        return Transactions.inTransaction(database, c -> {
            ReceptionSession s = sessions.find(c, sessionId).orElseThrow(() -> DomainErrors.notFound("session " + sessionId));
            if (!access.mayWorkOn(actor, s)) {
                throw DomainErrors.forbidden("session " + sessionId + " is neither assigned to you nor in your unit's area");
            }
            // INTERRUPTED too: the citizens are still in the office while the server restarts and the host resumes.
            if (!s.state().underWay() && s.state() != SessionState.ENDED) {
                throw DomainErrors.conflict("session " + sessionId + " is " + s.state()
                        + "; petitions are registered while it is LIVE (or INTERRUPTED) or after it ENDED");
            }
            String origin = draft.originRoomCode() == null ? s.hostRoomCode() : draft.originRoomCode();
            if (!sessions.isInvited(c, sessionId, origin)) {
                throw DomainErrors.invalid("originRoomCode", "must be a room invited to the session");
            }
            Instant now = clock.instant();
            String number = repository.nextRegisterNumber(c, draft.receivedOn().getYear());
            Petition p = new Petition(0, number, sessionId, origin, draft.kind(), draft.complaintRound(), draft.headCount(),
                    draft.petitioners(), draft.summary(), draft.requests(), draft.priorHandling(), draft.handlerAgency(), draft.complex(),
                    draft.especiallyComplex(), draft.remoteArea(), PetitionStatus.RECEIVED, draft.receivedOn(), null, null, List.of(),
                    1, now, now, null);
            List<Deadline> computed = compute(p);
            long id = repository.insert(c, p, nextDue(p, computed), actor.userId());
            repository.replacePetitioners(c, id, p.petitioners());
            repository.appendStatus(c, id, null, PetitionStatus.RECEIVED, p.receivedOn(), null, now, actor.userId());
            Petition saved = repository.find(c, id).orElseThrow();
            return written(c, actor, remote, saved, "create", "petition.registered", Map.of());
        });
    }

    public PetitionView update(Principal actor, String remote, long id, PetitionInput in) {
        long expected = requireVersion(in.version());
        LocalDate today = today();
        return Transactions.inTransaction(database, c -> {
            Petition current = require(c, actor, id);
            checkVersion(actor, current, expected, in);
            if (in.kind() != null && in.kind() != current.kind()) {
                throw DomainErrors.invalid("kind", "cannot change; split a mixed petition instead (LTCD Art. 25(3))");
            }
            if (in.receivedOn() != null && !in.receivedOn().equals(current.receivedOn())) {
                throw DomainErrors.invalid("receivedOn", "cannot change after registration: it fixes the register number and deadlines");
            }
            Petition merged = merge(current, in, current.sessionId(), today);
            if (merged.originRoomCode() != null && !sessions.isInvited(c, current.sessionId(), merged.originRoomCode())) {
                throw DomainErrors.invalid("originRoomCode", "must be a room invited to the session");
            }
            Petition next = withVersion(merged, current.version() + 1, clock.instant());
            save(c, actor, next, current.version());
            if (in.petitioners() != null) {
                repository.replacePetitioners(c, id, next.petitioners());
            }
            return written(c, actor, remote, repository.find(c, id).orElseThrow(), "update", "petition.updated", Map.of());
        });
    }

    public PetitionView changeStatus(Principal actor, String remote, long id, PetitionCommands.StatusInput in) {
        long expected = requireVersion(in.version());
        PetitionStatus target = Fields.present("status", in.status());
        String reason = Fields.optional("reason", in.reason(), 2000);
        LocalDate today = today();
        LocalDate effective = in.effectiveOn() == null ? today : in.effectiveOn();
        if (effective.isAfter(today)) {
            throw DomainErrors.invalid("effectiveOn", "must not be in the future");
        }
        return Transactions.inTransaction(database, c -> {
            Petition current = require(c, actor, id);
            checkVersion(actor, current, expected, in);
            if (current.status() == PetitionStatus.ACCEPTED && target == PetitionStatus.WITHDRAWN) {
                // Unreachable from the routes: CaseService.changeStatus records this as the WITHDRAWN case step.
                throw new IllegalStateException("petition " + id + ": withdrawal after acceptance is a case step (CaseService)");
            }
            if (target.isCaseStep() || current.status().isCaseStep()) {
                throw DomainErrors.invalid("status", "a petition's handling after acceptance is recorded as a case step with its details"
                        + " (POST /api/v1/petitions/" + id + "/steps), not as a bare status change");
            }
            if (!current.status().mayMoveTo(target, current.kind())) {
                // The case steps after acceptance have their own route, so they are not offered here.
                throw DomainErrors.conflict("petition " + current.registerNumber() + " is " + current.status() + " and cannot become "
                        + target + "; allowed: " + current.status().next(current.kind()).stream().filter(s -> !s.isCaseStep()).toList());
            }
            if (current.status().reasonRequiredFor(target) && reason.isBlank()) {
                throw DomainErrors.invalid("reason", "is required when a petition becomes " + target
                        + (current.status() == PetitionStatus.WITHDRAWN ? " after withdrawal (LTC Art. 33(3))" : ""));
            }
            if (effective.isBefore(current.receivedOn())) {
                throw DomainErrors.invalid("effectiveOn", "must not be before the receipt date " + current.receivedOn());
            }
            LocalDate accepted = target == PetitionStatus.ACCEPTED && current.acceptedOn() == null ? effective : current.acceptedOn();
            Petition next = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                    current.kind(), current.complaintRound(), current.headCount(), current.petitioners(), current.summary(),
                    current.requests(), current.priorHandling(), current.handlerAgency(), current.complex(), current.especiallyComplex(),
                    current.remoteArea(), target, current.receivedOn(), accepted, current.splitFromId(), current.extensions(),
                    current.version() + 1, current.createdAt(), clock.instant(), current.decidedOn());
            save(c, actor, next, current.version());
            repository.appendStatus(c, id, current.status(), target, effective, reason.isBlank() ? null : reason, clock.instant(), actor.userId());
            return written(c, actor, remote, repository.find(c, id).orElseThrow(), "status", "petition.status",
                    Map.of("from", current.status().name(), "to", target.name()));
        });
    }

    /** Appends a note; the petition's version moves on so that concurrent notes are seen, never silently interleaved. */
    public Map<String, Object> annotate(Principal actor, String remote, long id, PetitionCommands.AnnotationInput in) {
        long expected = requireVersion(in.version());
        String text = Fields.required("text", in.text(), PetitionRules.MAX_TEXT);
        return Transactions.inTransaction(database, c -> {
            Petition current = require(c, actor, id);
            checkVersion(actor, current, expected, in);
            Instant now = clock.instant();
            Annotation a = repository.insertAnnotation(c, id, actor.userId(), actor.username(), now, text);
            Petition next = withVersion(current, current.version() + 1, now);
            save(c, actor, next, current.version());
            PetitionView view = written(c, actor, remote, repository.find(c, id).orElseThrow(), "annotate", "petition.updated",
                    Map.of("annotation", a.id()));
            events.publishAfterCommit(LiveEvent.staffOnly(current.sessionId(), "petition.annotated",
                    Map.of("petitionId", id, "version", next.version(), "annotation", a)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("annotation", a);
            out.put("version", view.version());
            return out;
        });
    }

    public PetitionView extend(Principal actor, String remote, long id, PetitionCommands.ExtensionInput in) {
        long expected = requireVersion(in.version());
        DeadlineKind requested = in.deadlineKind();
        int days = Fields.range("days", in.days(), 1, Extension.MAX_DAYS);
        String decision = Fields.required("decisionReference", in.decisionReference(), 200);
        LocalDate decidedOn = in.decidedOn() == null ? today() : in.decidedOn();
        return Transactions.inTransaction(database, c -> {
            Petition current = require(c, actor, id);
            checkVersion(actor, current, expected, in);
            // The default is the petition's own resolution, so a refusal names the petition's kind, not another's.
            DeadlineKind kind = requested != null ? requested : current.kind() == PetitionKind.COMPLAINT
                    ? DeadlineKind.COMPLAINT_RESOLUTION : DeadlineKind.DENUNCIATION_RESOLUTION;
            Extension e = new Extension(kind, days, decision, decidedOn);
            List<Extension> all = new ArrayList<>(current.extensions());
            all.add(e);
            Petition next = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                    current.kind(), current.complaintRound(), current.headCount(), current.petitioners(), current.summary(),
                    current.requests(), current.priorHandling(), current.handlerAgency(), current.complex(), current.especiallyComplex(),
                    current.remoteArea(), current.status(), current.receivedOn(), current.acceptedOn(), current.splitFromId(), all,
                    current.version() + 1, current.createdAt(), clock.instant(), current.decidedOn());
            compute(next, "deadlineKind"); // refuses an extension the law does not allow, before anything is written
            repository.insertExtension(c, id, e, clock.instant(), actor.userId());
            save(c, actor, next, current.version());
            return written(c, actor, remote, repository.find(c, id).orElseThrow(), "extend", "petition.updated",
                    Map.of("deadline", kind.name(), "days", days));
        });
    }

    /**
     * Splits a petition mixing complaint and denunciation (or any two matters) into separate
     * petitions (LTCD Art. 25(3)); each part gets its own register number and links back, and the
     * original is FILED with the part numbers as the reason.
     */
    public List<PetitionView> split(Principal actor, String remote, long id, PetitionCommands.SplitInput in) {
        long expected = requireVersion(in.version());
        if (in.parts() == null || in.parts().size() < 2) {
            throw DomainErrors.invalid("parts", "name at least two parts");
        }
        if (in.parts().size() > 10) {
            throw DomainErrors.invalid("parts", "at most 10 parts");
        }
        LocalDate today = today();
        return Transactions.inTransaction(database, c -> {
            Petition current = require(c, actor, id);
            checkVersion(actor, current, expected, in);
            if (current.status() != PetitionStatus.RECEIVED) {
                throw DomainErrors.conflict("only a RECEIVED petition can be split; " + current.registerNumber() + " is " + current.status());
            }
            Instant now = clock.instant();
            List<PetitionView> parts = new ArrayList<>();
            for (int i = 0; i < in.parts().size(); i++) {
                PetitionInput part = in.parts().get(i);
                if (part == null || part.kind() == null) {
                    throw DomainErrors.invalid("parts[" + i + "].kind", "is required");
                }
                if (part.version() != null || part.receivedOn() != null) {
                    throw DomainErrors.invalid("parts[" + i + "]", "a part takes neither version nor receivedOn (it keeps the original's)");
                }
                Petition base = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                        part.kind(), part.kind() == PetitionKind.COMPLAINT ? 1 : null, current.headCount(), current.petitioners(),
                        current.summary(), current.requests(), current.priorHandling(), current.handlerAgency(), false, false,
                        current.remoteArea(), PetitionStatus.RECEIVED, current.receivedOn(), null, null, List.of(), 1, now, now, null);
                Petition merged = merge(base, part, current.sessionId(), today, "parts[" + i + "].");
                String number = repository.nextRegisterNumber(c, current.receivedOn().getYear());
                Petition p = new Petition(0, number, current.sessionId(), merged.originRoomCode(), merged.kind(), merged.complaintRound(),
                        merged.headCount(), merged.petitioners(), merged.summary(), merged.requests(), merged.priorHandling(),
                        merged.handlerAgency(), merged.complex(), merged.especiallyComplex(), merged.remoteArea(), PetitionStatus.RECEIVED,
                        current.receivedOn(), null, current.id(), List.of(), 1, now, now, null);
                long partId = repository.insert(c, p, nextDue(p, compute(p)), actor.userId());
                repository.replacePetitioners(c, partId, p.petitioners());
                repository.appendStatus(c, partId, null, PetitionStatus.RECEIVED, p.receivedOn(), "split from " + current.registerNumber(),
                        now, actor.userId());
                parts.add(written(c, actor, remote, repository.find(c, partId).orElseThrow(), "split", "petition.registered",
                        Map.of("splitFrom", current.id())));
            }
            String numbers = parts.stream().map(PetitionView::registerNumber).collect(Collectors.joining(", "));
            Petition filed = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                    current.kind(), current.complaintRound(), current.headCount(), current.petitioners(), current.summary(),
                    current.requests(), current.priorHandling(), current.handlerAgency(), current.complex(), current.especiallyComplex(),
                    current.remoteArea(), PetitionStatus.FILED, current.receivedOn(), current.acceptedOn(), current.splitFromId(),
                    current.extensions(), current.version() + 1, current.createdAt(), now, current.decidedOn());
            save(c, actor, filed, current.version());
            repository.appendStatus(c, id, current.status(), PetitionStatus.FILED, today, "split into " + numbers + " (LTCD Art. 25(3))",
                    now, actor.userId());
            written(c, actor, remote, repository.find(c, id).orElseThrow(), "split", "petition.status", Map.of("parts", parts.size()));
            return parts;
        });
    }

    /** One petition with its history; {@code reveal} shows a denouncer to an authorised role and is audited (LTC Art. 9). */
    public PetitionDetail detail(Principal actor, String remote, long id, boolean reveal) {
        if (reveal) {
            requireRevealRole(actor, remote, String.valueOf(id));
            // A write transaction, because the reveal's audit entry must be stored before the data leaves.
            return auditedIfRefused(actor, remote, id, () -> Transactions.inTransaction(database, c -> {
                Petition p = require(c, actor, id);
                if (p.kind() == PetitionKind.DENUNCIATION) {
                    audit.record(c, actor, remote, "petition.reveal_identity", "petition", String.valueOf(id),
                            Map.of("registerNumber", p.registerNumber(), "kind", p.kind().name()));
                }
                return detail(c, actor, p, true);
            }));
        }
        return Transactions.read(database, c -> detail(c, actor, require(c, actor, id), false));
    }

    private PetitionDetail detail(Connection c, Principal actor, Petition p, boolean reveal) throws SQLException {
        boolean staff = PetitionView.mayReveal(actor);
        // A status change's reason is typed by staff and may quote the content: rooms get none of the history.
        return new PetitionDetail(view(p, PetitionView.levelFor(actor, p, reveal)), staff ? repository.statusHistory(c, p.id()) : List.of(),
                staff ? repository.annotations(c, p.id()) : List.of(), repository.splitInto(c, p.id()));
    }

    /** Every stored version of a petition, for staff; snapshots of a denunciation need {@code reveal} (audited). */
    public List<Map<String, Object>> versions(Principal actor, String remote, long id, boolean reveal) {
        requireRevealRole(actor, remote, String.valueOf(id));
        return auditedIfRefused(actor, remote, id, () -> Transactions.inTransaction(database, c -> {
            Petition p = require(c, actor, id);
            if (p.kind() == PetitionKind.DENUNCIATION && !reveal) {
                throw DomainErrors.forbidden("the versions of a denunciation show the denouncer's identity: ask with reveal=true (audited, LTC Art. 9)");
            }
            if (p.kind() == PetitionKind.DENUNCIATION) {
                audit.record(c, actor, remote, "petition.reveal_identity", "petition", String.valueOf(id),
                        Map.of("registerNumber", p.registerNumber(), "what", "versions"));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> v : repository.versions(c, id)) {
                Map<String, Object> copy = new LinkedHashMap<>(v);
                try {
                    copy.put("snapshot", JSON.readTree((String) v.get("snapshot")));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("stored snapshot of petition " + id + " is unreadable", e);
                }
                out.add(copy);
            }
            return out;
        }));
    }

    /**
     * A session's petitions for its session record (biên bản), which is filed and may be shown to
     * rooms: personal data exactly as rooms see it (masked; a denouncer withheld, LTC Art. 47).
     */
    public List<PetitionView> forSessionRecord(long sessionId) {
        PetitionFilter all = new PetitionFilter(sessionId, null, null, null, null, null, null, 10_000, 0);
        LocalDate today = today();
        return Transactions.read(database, c -> repository.search(c, all, today).stream()
                .map(p -> view(p, p.kind() == PetitionKind.DENUNCIATION ? PersonalData.CONFIDENTIAL : PersonalData.MASKED))
                .toList());
    }

    public List<PetitionView> search(Principal actor, PetitionFilter filter) {
        PetitionFilter f = scoped(actor, filter);
        LocalDate today = today();
        return Transactions.read(database, c -> repository.search(c, f, today).stream()
                .map(p -> view(p, PetitionView.levelFor(actor, p, false))).toList());
    }

    /**
     * The register as CSV (UTF-8 with BOM, so Excel reads Vietnamese correctly), one line per
     * petition with the columns of LTCD Art. 25(2). Masked unless an authorised role asks for
     * {@code unmasked}, which is audited.
     */
    public String exportCsv(Principal actor, String remote, PetitionFilter filter, boolean unmasked) {
        if (unmasked) {
            requireRevealRole(actor, remote, "register");
        }
        PetitionFilter f = scoped(actor, filter);
        LocalDate today = today();
        List<Petition> rows = unmasked
                ? Transactions.inTransaction(database, c -> {
                    List<Petition> found = repository.search(c, f, today);
                    audit.record(c, actor, remote, "petition.export_unmasked", "petition", "register",
                            Map.of("rows", found.size(), "denunciations", found.stream().filter(p -> p.kind() == PetitionKind.DENUNCIATION).count()));
                    return found;
                })
                : Transactions.read(database, c -> repository.search(c, f, today));
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").get())) {
            csv.printRecord("register_number", "received_on", "kind", "complaint_round", "head_count", "petitioners", "id_numbers",
                    "addresses", "summary", "prior_handling", "requests", "status", "handler_agency", "next_due_on", "origin_room", "session_id");
            for (Petition p : rows) {
                PersonalData level = unmasked ? PersonalData.FULL
                        : p.kind() == PetitionKind.DENUNCIATION ? PersonalData.CONFIDENTIAL : PersonalData.MASKED;
                PetitionView v = view(p, level);
                csv.printRecord(SpreadsheetCells.record(v.registerNumber(), v.receivedOn(), v.kind(),
                        v.complaintRound() == null ? "" : v.complaintRound(),
                        v.headCount(), join(v.petitioners(), Petitioner::name), join(v.petitioners(), Petitioner::idNumber),
                        join(v.petitioners(), Petitioner::address), v.summary(), v.priorHandling(), v.requests(), v.status(),
                        v.handlerAgency(), v.nextDueOn() == null ? "" : v.nextDueOn(), v.originRoomCode(), v.sessionId()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Counts for the gauges: "KIND/STATUS" → count, and the overdue count. */
    public Map<String, Long> countsByKindAndStatus() {
        return Transactions.read(database, repository::countsByKindAndStatus);
    }

    public long overdueCount() {
        LocalDate today = today();
        return Transactions.read(database, c -> repository.countOverdue(c, today));
    }

    // ---- internals -------------------------------------------------------------------------

    private static String join(List<Petitioner> people, java.util.function.Function<Petitioner, String> field) {
        return people.stream().map(field).map(s -> s == null ? "" : s).collect(Collectors.joining("; "));
    }

    /**
     * A read of personal data refused inside its transaction (the petition is outside the caller's
     * scope) rolls back with it, audit entry and all: the refusal is recorded after, in its own
     * transaction, like one refused for the role.
     */
    private <T> T auditedIfRefused(Principal actor, String remote, long id, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (DomainException e) {
            if (e instanceof ForbiddenException) {
                audit.record(actor, remote, "access.denied", "petition", String.valueOf(id), Map.of("action", "petition.reveal",
                        "reason", e.getMessage()));
            }
            throw e;
        }
    }

    /** A refused reveal is audited like a granted one: it is what an attempt to unmask looks like. */
    private void requireRevealRole(Principal actor, String remote, String petition) {
        if (!PetitionView.mayReveal(actor)) {
            audit.record(actor, remote, "access.denied", "petition", petition, Map.of("action", "petition.reveal",
                    "reason", "role " + actor.role() + " may not see personal data"));
            throw DomainErrors.forbidden("only a secretary, the host or an administrator may see petitioners' personal data");
        }
    }

    /** A room operator searches only the petitions its room sent; staff those of their assignments and unit's area. */
    private PetitionFilter scoped(Principal actor, PetitionFilter f) {
        if (actor.role() != Role.ROOM_OPERATOR) {
            return access.areaRooms(actor).map(area -> new PetitionFilter(f.sessionId(), f.kind(), f.status(), f.year(), f.text(),
                    f.overdue(), f.originRoomCode(), f.limit(), f.offset(), area, actor.userId())).orElse(f);
        }
        return new PetitionFilter(f.sessionId(), f.kind(), f.status(), f.year(), f.text(), f.overdue(), actor.roomCode().orElse(""),
                f.limit(), f.offset());
    }

    Petition require(Connection c, Principal actor, long id) throws SQLException {
        Petition p = repository.find(c, id).orElseThrow(() -> DomainErrors.notFound("petition " + id));
        if (actor.role() == Role.ROOM_OPERATOR && !actor.roomCode().map(r -> r.equals(p.originRoomCode())).orElse(false)) {
            throw DomainErrors.forbidden("petition " + id + " was raised in another room");
        }
        if (actor.role() != Role.ROOM_OPERATOR && !access.inArea(actor, p.originRoomCode())
                && !sessions.find(c, p.sessionId()).map(s -> access.mayWorkOn(actor, s)).orElse(false)) {
            throw DomainErrors.forbidden("petition " + id + " is neither of a session assigned to you nor of your unit's area");
        }
        return p;
    }

    static long requireVersion(Long version) {
        if (version == null) {
            throw DomainErrors.invalid("version", "is required: send the version you edited (optimistic concurrency)");
        }
        return version;
    }

    void checkVersion(Principal actor, Petition current, long expected, Object yours) {
        if (current.version() != expected) {
            throw new StaleVersionException("petition " + current.id(), expected, current.version(),
                    view(current, PetitionView.levelFor(actor, current, false)), yours);
        }
    }

    void save(Connection c, Principal actor, Petition next, long expected) throws SQLException {
        List<Deadline> computed = compute(next);
        if (!repository.update(c, next, nextDue(next, computed), expected, actor.userId())) {
            // Unreachable under the single writer, kept so that a second writer (PostgreSQL) still cannot lose an edit.
            throw DomainErrors.conflict("petition " + next.id() + " changed meanwhile; reload and retry");
        }
    }

    /** Appends the snapshot and audit entry of a written petition and publishes it; returns the caller's view. */
    PetitionView written(Connection c, Principal actor, String remote, Petition saved, String change, String eventType,
                                 Map<String, Object> extra) throws SQLException {
        Instant now = clock.instant();
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("petition", view(saved, PersonalData.FULL));
        snapshot.put("annotations", repository.annotations(c, saved.id()));
        repository.appendVersion(c, saved.id(), saved.version(), json(snapshot), now, actor.userId(), change);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("registerNumber", saved.registerNumber());
        detail.put("kind", saved.kind().name());
        detail.put("status", saved.status().name());
        detail.put("version", saved.version());
        detail.putAll(extra);
        audit.record(c, actor, remote, "petition." + change, "petition", String.valueOf(saved.id()), detail);
        PersonalData staffLevel = saved.kind() == PetitionKind.DENUNCIATION ? PersonalData.MASKED : PersonalData.FULL;
        PersonalData roomLevel = PersonalData.PUBLIC;
        events.publishAfterCommit(new LiveEvent(saved.sessionId(), eventType, view(saved, staffLevel), view(saved, roomLevel),
                saved.originRoomCode()));
        return view(saved, PetitionView.levelFor(actor, saved, false));
    }

    PetitionView view(Petition p, PersonalData level) {
        List<Deadline> computed = compute(p);
        return PetitionView.of(p, level, computed, nextDue(p, computed), today());
    }

    private List<Deadline> compute(Petition p) {
        return compute(p, "flags");
    }

    private List<Deadline> compute(Petition p, String field) {
        DeadlineCase dc = new DeadlineCase(p.kind().deadlineKind(), p.complaintRound() == null ? 1 : p.complaintRound(), p.complex(),
                p.especiallyComplex(), p.remoteArea(), p.receivedOn(), java.util.Optional.ofNullable(p.acceptedOn()), p.extensions(),
                p.status() == PetitionStatus.ACCEPTANCE_EXTENDED);
        List<Deadline> out;
        try {
            out = deadlines.compute(dc);
        } catch (IllegalArgumentException e) {
            throw DomainErrors.invalid(field, e.getMessage());
        }
        if (p.decidedOn() == null) {
            return out;
        }
        List<Deadline> withNotice = new ArrayList<>(out);
        deadlines.decisionNotice(dc.kind(), dc.complaintRound(), p.decidedOn()).ifPresent(withNotice::add);
        return List.copyOf(withNotice);
    }

    /**
     * The deadline of the step due now: before acceptance the earliest of the reception deadlines;
     * from acceptance until the decision the resolution; once decided, sending the decision to the
     * citizen; none once the citizen is notified or the case is closed. A petition is overdue only
     * against this one date, so doing the due step ends the overdue state.
     */
    static LocalDate nextDue(Petition p, List<Deadline> computed) {
        return dueNow(p, computed).map(Deadline::dueOn).orElse(null);
    }

    /** The deadline of {@link #nextDue}, with its article. */
    static java.util.Optional<Deadline> dueNow(Petition p, List<Deadline> computed) {
        return switch (p.status()) {
            case DECIDED -> computed.stream().filter(d -> d.kind() == DeadlineKind.DECISION_NOTICE).findFirst();
            case ACCEPTED, ASSIGNED, TRANSFERRED, IN_PROGRESS, DIALOGUE_HELD -> computed.stream()
                    .filter(d -> d.kind() == DeadlineKind.COMPLAINT_RESOLUTION || d.kind() == DeadlineKind.DENUNCIATION_RESOLUTION)
                    .findFirst();
            case RECEIVED, ACCEPTANCE_EXTENDED -> computed.stream()
                    .filter(d -> d.kind() != DeadlineKind.DENUNCIATION_FORWARDING)
                    .min(java.util.Comparator.comparing(Deadline::dueOn));
            default -> java.util.Optional.empty();
        };
    }

    private static Petition withVersion(Petition p, long version, Instant now) {
        return new Petition(p.id(), p.registerNumber(), p.sessionId(), p.originRoomCode(), p.kind(), p.complaintRound(), p.headCount(),
                p.petitioners(), p.summary(), p.requests(), p.priorHandling(), p.handlerAgency(), p.complex(), p.especiallyComplex(),
                p.remoteArea(), p.status(), p.receivedOn(), p.acceptedOn(), p.splitFromId(), p.extensions(), version, p.createdAt(), now,
                p.decidedOn());
    }

    private Petition merge(Petition current, PetitionInput in, long sessionId, LocalDate today) {
        return merge(current, in, sessionId, today, "");
    }

    /** {@code in} over {@code current} (null when registering), every field checked; {@code prefix} names fields of a split part. */
    private Petition merge(Petition current, PetitionInput in, long sessionId, LocalDate today, String prefix) {
        try {
            PetitionKind kind = current != null ? (in.kind() != null ? in.kind() : current.kind()) : Fields.present("kind", in.kind());
            Integer round = null;
            if (kind == PetitionKind.COMPLAINT) {
                Integer r = in.complaintRound() != null ? in.complaintRound() : current != null && current.complaintRound() != null
                        ? current.complaintRound() : Integer.valueOf(1);
                round = Fields.range("complaintRound", r, 1, 2);
            } else if (in.complaintRound() != null) {
                throw DomainErrors.invalid("complaintRound", "applies to complaints only");
            }
            int headCount = in.headCount() != null ? Fields.range("headCount", in.headCount(), 1, 100_000)
                    : current != null ? current.headCount()
                    : in.petitioners() == null ? 1 : Math.max(1, in.petitioners().size());
            List<Petitioner> people = in.petitioners() != null || current == null
                    ? PetitionRules.petitioners(in.petitioners(), headCount)
                    : PetitionRules.petitioners(current.petitioners().stream().map(p -> new PetitionInput.PetitionerInput(p.name(),
                    p.idNumber(), p.address(), p.representative())).toList(), headCount);
            String summary = in.summary() != null || current == null ? Fields.required("summary", in.summary(), PetitionRules.MAX_TEXT)
                    : current.summary();
            String requests = in.requests() != null ? Fields.optional("requests", in.requests(), PetitionRules.MAX_TEXT)
                    : current == null ? "" : current.requests();
            String prior = in.priorHandling() != null ? Fields.optional("priorHandling", in.priorHandling(), PetitionRules.MAX_TEXT)
                    : current == null ? "" : current.priorHandling();
            String agency = in.handlerAgency() != null ? Fields.optional("handlerAgency", in.handlerAgency(), 500)
                    : current == null ? "" : current.handlerAgency();
            boolean complex = in.complex() != null ? in.complex() : current != null && current.complex();
            boolean especially = in.especiallyComplex() != null ? in.especiallyComplex() : current != null && current.especiallyComplex();
            if (especially && kind != PetitionKind.DENUNCIATION) {
                throw DomainErrors.invalid("especiallyComplex", "applies to denunciations only (LTC Art. 30)");
            }
            boolean remote = in.remoteArea() != null ? in.remoteArea() : current != null && current.remoteArea();
            LocalDate received = current != null ? current.receivedOn() : in.receivedOn() != null ? in.receivedOn() : today;
            if (received.isAfter(today)) {
                throw DomainErrors.invalid("receivedOn", "must not be in the future");
            }
            String origin = in.originRoomCode() != null ? Fields.required("originRoomCode", in.originRoomCode(), 64)
                    : current == null ? null : current.originRoomCode();
            Instant now = clock.instant();
            return new Petition(current == null ? 0 : current.id(), current == null ? null : current.registerNumber(), sessionId, origin,
                    kind, round, headCount, people, summary, requests, prior, agency, complex, especially, remote,
                    current == null ? PetitionStatus.RECEIVED : current.status(), received, current == null ? null : current.acceptedOn(),
                    current == null ? null : current.splitFromId(), current == null ? List.of() : current.extensions(),
                    current == null ? 1 : current.version(), current == null ? now : current.createdAt(), now,
                    current == null ? null : current.decidedOn());
        } catch (DomainException e) {
            if (prefix.isEmpty()) {
                throw e;
            }
            List<FieldError> errors = e.fieldErrors().stream().map(f -> new FieldError(prefix + f.field(), f.message())).toList();
            throw DomainErrors.invalid(prefix + e.getMessage(), errors);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a petition snapshot", e);
        }
    }
}
