package org.citizenreception.control.petition;

import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.DomainErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.petition.CaseCommands.LinkKind;
import org.citizenreception.control.petition.CaseRepository.HandlingAgency;
import org.citizenreception.control.petition.PetitionView.PersonalData;
import org.citizenreception.control.petition.deadline.Deadline;
import org.citizenreception.control.petition.deadline.DeadlineCase;
import org.citizenreception.control.petition.deadline.DeadlineKind;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.validation.Fields;

/**
 * A petition after acceptance, followed to its end: the steps of handling (each dated, by whom,
 * with its article and the deadline then due), links between cases of the same citizen, and the
 * search for a citizen's earlier petitions by exact ID-card number.
 *
 * <p>Each write goes through the register's own write path ({@link PetitionService}): optimistic
 * version check, a full snapshot in petition_versions, an audit entry and a live event.
 */
public final class CaseService {
    private final PetitionService register;
    private final IdNumberHash idHash;
    private final CaseRepository cases = new CaseRepository();

    public CaseService(PetitionService register, IdNumberHash idHash) {
        this.register = register;
        this.idHash = idHash;
    }

    /** The petition's handling so far: current step, the deadline due now, the steps allowed next, history and links. */
    public Map<String, Object> caseFile(Principal actor, long id) {
        return Transactions.read(register.database(), c -> caseFile(c, actor, register.require(c, actor, id)));
    }

    public Map<String, Object> recordStep(Principal actor, String remote, long id, CaseCommands.StepInput in) {
        return Transactions.inTransaction(register.database(), c -> caseFile(c, actor, appendStep(c, actor, remote, id, in, "step", in).saved()));
    }

    /**
     * The register's older status route ({@code POST /petitions/{id}/status}). Withdrawing an accepted
     * petition ends its handling, so it is recorded as the WITHDRAWN case step (LKN Art. 10, LTC
     * Art. 33) exactly as the lifecycle route records it — step row, status history, version, audit
     * (named after the route used) — and the petition's status before acceptance changes as before.
     * The status is read before the write; the version check inside the write refuses a petition
     * changed in between.
     */
    public PetitionView changeStatus(Principal actor, String remote, long id, PetitionCommands.StatusInput in) {
        if (in.status() == PetitionStatus.WITHDRAWN) {
            Petition current = Transactions.read(register.database(), c -> register.require(c, actor, id));
            if (current.status() == PetitionStatus.ACCEPTED) {
                String reason = Fields.optional("reason", in.reason(), 2000);
                CaseCommands.StepInput step = new CaseCommands.StepInput(PetitionStatus.WITHDRAWN, in.effectiveOn(), null, null, null, null,
                        null, null, null, null, reason.isBlank() ? null : reason, in.version());
                return Transactions.inTransaction(register.database(), c -> appendStep(c, actor, remote, id, step, "status", in).view());
            }
        }
        return register.changeStatus(actor, remote, id, in);
    }

    /** A step written: the petition as saved and as the caller may see it. */
    private record Stepped(Petition saved, PetitionView view) {
    }

    /**
     * The one write path of a case step; {@code change} names the audit entry after the route used
     * ("step" or "status"), {@code yours} is the request as sent, echoed back when the version is stale.
     */
    private Stepped appendStep(Connection c, Principal actor, String remote, long id, CaseCommands.StepInput in, String change,
                               Object yours) throws SQLException {
        long expected = PetitionService.requireVersion(in.version());
        PetitionStatus step = Fields.present("step", in.step());
        if (!step.isCaseStep() && step != PetitionStatus.WITHDRAWN) {
            throw DomainErrors.invalid("step", "must be one of ASSIGNED, TRANSFERRED, IN_PROGRESS, DIALOGUE_HELD, DECIDED, NOTIFIED,"
                    + " CLOSED or WITHDRAWN");
        }
        LocalDate today = register.today();
        LocalDate effective = in.effectiveOn() == null ? today : in.effectiveOn();
        if (effective.isAfter(today)) {
            throw DomainErrors.invalid("effectiveOn", "must not be in the future");
        }
        String note = Fields.optional("note", in.note(), PetitionRules.MAX_TEXT);
        Petition current = register.require(c, actor, id);
        register.checkVersion(actor, current, expected, yours);
        if (!current.status().isCaseStep() && current.status() != PetitionStatus.ACCEPTED) {
            throw DomainErrors.conflict("step " + step + " is not allowed: petition " + current.registerNumber() + " is "
                    + current.status() + ", and handling steps follow acceptance");
        }
        if (!current.status().mayMoveTo(step, current.kind())) {
            throw DomainErrors.conflict("step " + step + " is not allowed: petition " + current.registerNumber() + " is "
                    + current.status() + "; allowed: " + current.status().next(current.kind()));
        }
        List<CaseStep> earlier = cases.steps(c, id);
        LocalDate floor = earlier.isEmpty() ? current.acceptedOn() : earlier.get(earlier.size() - 1).effectiveOn();
        if (floor != null && effective.isBefore(floor)) {
            throw DomainErrors.invalid("effectiveOn", "must not be before the previous step's date " + floor);
        }
        HandlingAgency agency = agencyFor(c, step, in, effective, current);
        Long sessionId = null;
        if (in.sessionId() != null) {
            if (step != PetitionStatus.DIALOGUE_HELD) {
                throw DomainErrors.invalid("sessionId", "links the session a dialogue or verification was held in (DIALOGUE_HELD only)");
            }
            if (!cases.sessionExists(c, in.sessionId())) {
                throw DomainErrors.invalid("sessionId", "must be an existing reception session");
            }
            sessionId = in.sessionId();
        }
        Decision decision = decisionFor(step, in, current.kind());
        if (step == PetitionStatus.NOTIFIED && in.noticeMethod() == null) {
            throw DomainErrors.invalid("noticeMethod", "is required: how the citizen was told (IN_PERSON, POST, ELECTRONIC,"
                    + " AT_RECEPTION_SESSION)");
        }
        if (step != PetitionStatus.NOTIFIED && in.noticeMethod() != null) {
            throw DomainErrors.invalid("noticeMethod", "belongs to the NOTIFIED step");
        }
        Instant now = register.clock().instant();
        Petition next = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                current.kind(), current.complaintRound(), current.headCount(), current.petitioners(), current.summary(),
                current.requests(), current.priorHandling(), agency != null ? agency.name() : current.handlerAgency(),
                current.complex(), current.especiallyComplex(), current.remoteArea(), step, current.receivedOn(),
                current.acceptedOn(), current.splitFromId(), current.extensions(), current.version() + 1, current.createdAt(), now,
                step == PetitionStatus.DECIDED ? effective : current.decidedOn());
        register.save(c, actor, next, current.version());
        register.repository().appendStatus(c, id, current.status(), step, effective, note.isBlank() ? null : note, now,
                actor.userId());
        Optional<Deadline> due = PetitionService.dueNow(next, register.deadlinesOf(next));
        int round = current.complaintRound() == null ? 1 : current.complaintRound();
        cases.insertStep(c, id, new CaseStep(0, step, effective, CaseStepRules.legalBasis(step, current.kind().deadlineKind(), round),
                agency == null ? null : agency.agencyId(), agency == null ? null : agency.unitCode(),
                agency == null ? null : agency.name(), sessionId, decision.number(), decision.signer(), in.outcome(),
                decision.handling(), in.noticeMethod(), note.isBlank() ? null : note, due.map(Deadline::dueOn).orElse(null),
                due.map(Deadline::legalBasis).orElse(null), now, actor.userId(), actor.username()));
        Petition saved = register.repository().find(c, id).orElseThrow();
        PetitionView view = register.written(c, actor, remote, saved, change, "petition.status",
                Map.of("from", current.status().name(), "to", step.name()));
        return new Stepped(saved, view);
    }

    /** Links this petition to an earlier one of the same citizen or group; a second round names its first (LKN Art. 33, 37). */
    public Map<String, Object> link(Principal actor, String remote, long id, CaseCommands.LinkInput in) {
        long expected = PetitionService.requireVersion(in.version());
        LinkKind kind = Fields.present("kind", in.kind());
        long linkedId = Fields.present("linkedId", in.linkedId());
        if (linkedId == id) {
            throw DomainErrors.invalid("linkedId", "must be another petition");
        }
        return Transactions.inTransaction(register.database(), c -> {
            Petition current = register.require(c, actor, id);
            register.checkVersion(actor, current, expected, in);
            Petition other;
            try {
                other = register.require(c, actor, linkedId);
            } catch (DomainException e) {
                throw DomainErrors.invalid("linkedId", "must be a petition you may see");
            }
            if (kind == LinkKind.SECOND_ROUND) {
                if (cases.hasOutgoingLink(c, id, LinkKind.SECOND_ROUND)) {
                    throw DomainErrors.conflict("step SECOND_ROUND is not allowed: petition " + current.registerNumber()
                            + " already names its first round");
                }
                checkSecondRound(current, other);
            }
            Instant now = register.clock().instant();
            cases.insertLink(c, id, linkedId, kind, now, actor.userId());
            Petition next = new Petition(current.id(), current.registerNumber(), current.sessionId(), current.originRoomCode(),
                    current.kind(), current.complaintRound(), current.headCount(), current.petitioners(), current.summary(),
                    current.requests(), current.priorHandling(), current.handlerAgency(), current.complex(), current.especiallyComplex(),
                    current.remoteArea(), current.status(), current.receivedOn(), current.acceptedOn(), current.splitFromId(),
                    current.extensions(), current.version() + 1, current.createdAt(), now, current.decidedOn());
            register.save(c, actor, next, current.version());
            Petition saved = register.repository().find(c, id).orElseThrow();
            register.written(c, actor, remote, saved, "link", "petition.updated", Map.of("linked", linkedId, "link", kind.name()));
            return caseFile(c, actor, saved);
        });
    }

    /**
     * The caller's visible petitions whose petitioners carry exactly this ID-card number. Every
     * search is audited with its match count and never the number. Denunciations are left out: a
     * search by identity must not reveal who denounced (LTC Art. 9).
     */
    public List<PetitionView> earlierPetitions(Principal actor, String remote, CaseCommands.HistoryQuery in) {
        String number = Fields.required("idNumber", in == null ? null : in.idNumber(), 40);
        if (!IdNumberHash.normalise(number).matches("[A-Z0-9]{6,20}")) {
            throw DomainErrors.invalid("idNumber", "must be 6 to 20 letters or digits (CCCD: 12 digits)");
        }
        String hash = idHash.of(number);
        return Transactions.inTransaction(register.database(), c -> {
            List<PetitionView> out = new ArrayList<>();
            for (long pid : register.repository().idsByIdNumberHash(c, hash)) {
                Optional<Petition> p = visible(c, actor, pid);
                if (p.isPresent() && p.get().kind() != PetitionKind.DENUNCIATION) {
                    out.add(register.view(p.get(), PetitionView.levelFor(actor, p.get(), false)));
                }
            }
            register.audit().record(c, actor, remote, "petition.case_history_search", "petition", "case-history",
                    Map.of("matches", out.size()));
            return out;
        });
    }

    private Optional<Petition> visible(Connection c, Principal actor, long id) throws SQLException {
        try {
            return Optional.of(register.require(c, actor, id));
        } catch (DomainException notYours) {
            return Optional.empty();
        }
    }

    private void checkSecondRound(Petition second, Petition first) {
        if (second.kind() != PetitionKind.COMPLAINT || !Integer.valueOf(2).equals(second.complaintRound())) {
            throw DomainErrors.invalid("kind", "a SECOND_ROUND link is made from a second-round complaint (complaintRound 2)");
        }
        if (first.kind() != PetitionKind.COMPLAINT || !Integer.valueOf(1).equals(first.complaintRound())) {
            throw DomainErrors.invalid("linkedId", "a second-round complaint links to a first-round complaint");
        }
        boolean decided = first.status() == PetitionStatus.DECIDED || first.status() == PetitionStatus.NOTIFIED
                || first.status() == PetitionStatus.CLOSED;
        // Without a decision, LKN Art. 33 allows a second complaint once the first round's period has passed.
        boolean expired = (first.status() == PetitionStatus.ACCEPTED || first.status().isCaseStep())
                && register.deadlinesOf(first).stream().filter(d -> d.kind() == DeadlineKind.COMPLAINT_RESOLUTION)
                .anyMatch(d -> d.dueOn().isBefore(second.receivedOn()));
        if (!decided && !expired) {
            throw DomainErrors.conflict("step SECOND_ROUND is not allowed: the first-round complaint " + first.registerNumber()
                    + " has neither a decision nor an expired resolution period (LKN Art. 33)");
        }
    }

    private HandlingAgency agencyFor(Connection c, PetitionStatus step, CaseCommands.StepInput in, LocalDate on, Petition current)
            throws SQLException {
        boolean needs = step == PetitionStatus.ASSIGNED || step == PetitionStatus.TRANSFERRED;
        if (!needs) {
            if (in.agencyId() != null || in.unitCode() != null) {
                throw DomainErrors.invalid(in.agencyId() != null ? "agencyId" : "unitCode", "names the agency of an ASSIGNED or TRANSFERRED step");
            }
            return null;
        }
        if ((in.agencyId() == null) == (in.unitCode() == null)) {
            throw DomainErrors.invalid("agencyId", "name the handling agency: agencyId from the agency list or unitCode of the room"
                    + " directory, one of them");
        }
        HandlingAgency agency = in.agencyId() != null
                ? cases.activeAgency(c, in.agencyId()).orElseThrow(() -> DomainErrors.invalid("agencyId", "must be an active agency of the list"))
                : cases.validUnit(c, in.unitCode(), on).orElseThrow(() -> DomainErrors.invalid("unitCode",
                        "must be a unit of the room directory valid on " + on));
        if (step == PetitionStatus.TRANSFERRED && agency.name().equals(current.handlerAgency())) {
            throw DomainErrors.invalid(in.agencyId() != null ? "agencyId" : "unitCode", "a transfer names another agency than the current one");
        }
        return agency;
    }

    private record Decision(String number, String signer, String handling) {
    }

    private static Decision decisionFor(PetitionStatus step, CaseCommands.StepInput in, PetitionKind kind) {
        if (step != PetitionStatus.DECIDED) {
            for (String f : new String[] {"decisionNumber", "signer", "outcome", "handling"}) {
                boolean given = switch (f) {
                    case "decisionNumber" -> in.decisionNumber() != null;
                    case "signer" -> in.signer() != null;
                    case "outcome" -> in.outcome() != null;
                    default -> in.handling() != null;
                };
                if (given) {
                    throw DomainErrors.invalid(f, "belongs to the DECIDED step");
                }
            }
            return new Decision(null, null, null);
        }
        String number = Fields.required("decisionNumber", in.decisionNumber(), 100);
        String signer = Fields.name("signer", in.signer(), 200);
        Fields.present("outcome", in.outcome());
        String handling = kind == PetitionKind.DENUNCIATION
                ? Fields.required("handling", in.handling(), PetitionRules.MAX_TEXT)
                : Fields.optional("handling", in.handling(), PetitionRules.MAX_TEXT);
        return new Decision(number, signer, handling.isBlank() ? null : handling);
    }

    private Map<String, Object> caseFile(Connection c, Principal actor, Petition p) throws SQLException {
        List<Deadline> computed = register.deadlinesOf(p);
        Optional<Deadline> due = PetitionService.dueNow(p, computed);
        LocalDate today = register.today();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("petitionId", p.id());
        out.put("registerNumber", p.registerNumber());
        out.put("kind", p.kind());
        out.put("status", p.status());
        out.put("version", p.version());
        out.put("handlerAgency", PetitionView.levelFor(actor, p, false) == PersonalData.PUBLIC ? null : p.handlerAgency());
        Map<String, Object> dueNow = new LinkedHashMap<>();
        due.ifPresent(d -> {
            dueNow.put("kind", d.kind());
            dueNow.put("dueOn", d.dueOn());
            dueNow.put("legalBasis", d.legalBasis());
            dueNow.put("overdue", d.dueOn().isBefore(today));
        });
        out.put("due", due.isPresent() ? dueNow : null);
        out.put("overdue", due.map(d -> d.dueOn().isBefore(today)).orElse(false));
        List<Map<String, Object>> allowed = new ArrayList<>();
        if (p.status() == PetitionStatus.ACCEPTED || p.status().isCaseStep()) {
            int round = p.complaintRound() == null ? 1 : p.complaintRound();
            DeadlineCase.Kind kind = p.kind().deadlineKind();
            for (PetitionStatus s : p.status().next(p.kind())) {
                allowed.add(Map.of("step", s, "legalBasis", CaseStepRules.legalBasis(s, kind, round)));
            }
        }
        out.put("allowedSteps", allowed);
        out.put("steps", cases.steps(c, p.id()));
        out.put("links", cases.links(c, p.id()));
        return out;
    }
}
