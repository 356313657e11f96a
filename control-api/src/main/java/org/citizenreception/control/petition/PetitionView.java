package org.citizenreception.control.petition;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.citizenreception.control.petition.deadline.Deadline;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

/**
 * A petition as one caller may see it. The only way a {@link Petition} reaches a client.
 *
 * <ul>
 *   <li>SECRETARY, HOST, ADMIN: petitioners in full, except a denouncer (LTC Art. 9), who is
 *       masked unless the caller asked to reveal (which the service audits).</li>
 *   <li>ROOM_OPERATOR (and room join tokens): the public side only — register number, kind,
 *       status, dates and deadlines; no petitioner, no summary, requests, prior handling nor handler.
 *       The commune staff watching in a room may be the very people a denunciation names
 *       (LTC Art. 9 protects the denouncer and the content), and a complaint's text identifies
 *       its author in a small commune as surely as the name.</li>
 * </ul>
 */
public record PetitionView(
        long id,
        String registerNumber,
        long sessionId,
        String originRoomCode,
        PetitionKind kind,
        Integer complaintRound,
        int headCount,
        boolean groupCase,
        PersonalData personalData,
        List<Petitioner> petitioners,
        String summary,
        String requests,
        String priorHandling,
        String handlerAgency,
        boolean complex,
        boolean especiallyComplex,
        boolean remoteArea,
        PetitionStatus status,
        LocalDate receivedOn,
        LocalDate acceptedOn,
        Long splitFromId,
        List<Deadline> deadlines,
        LocalDate nextDueOn,
        boolean overdue,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** How much of the petitioners' identity this view shows. */
    public enum PersonalData { FULL, MASKED, CONFIDENTIAL, PUBLIC }

    /** Whether {@code p} may see personal data at all (unmasked on request). */
    public static boolean mayReveal(Principal p) {
        return p.hasRole(Role.SECRETARY, Role.HOST, Role.ADMIN);
    }

    /** The level {@code viewer} gets for {@code petition}; {@code reveal} is an explicit, audited request. */
    public static PersonalData levelFor(Principal viewer, Petition petition, boolean reveal) {
        if (!mayReveal(viewer)) {
            return PersonalData.PUBLIC;
        }
        if (petition.kind() == PetitionKind.DENUNCIATION && !reveal) {
            return PersonalData.MASKED;
        }
        return PersonalData.FULL;
    }

    static PetitionView of(Petition p, PersonalData level, List<Deadline> deadlines, LocalDate nextDue, LocalDate today) {
        List<Petitioner> people = switch (level) {
            case FULL -> p.petitioners();
            case MASKED -> p.petitioners().stream()
                    .map(p.kind() == PetitionKind.DENUNCIATION ? Petitioner::maskedDenouncer : Petitioner::masked).toList();
            case CONFIDENTIAL -> p.petitioners().stream().map(Petitioner::confidential).toList();
            case PUBLIC -> List.of();
        };
        boolean content = level != PersonalData.PUBLIC;
        return new PetitionView(p.id(), p.registerNumber(), p.sessionId(), p.originRoomCode(), p.kind(), p.complaintRound(),
                p.headCount(), p.groupCase(), level, people, content ? p.summary() : null, content ? p.requests() : null,
                content ? p.priorHandling() : null, content ? p.handlerAgency() : null,
                p.complex(), p.especiallyComplex(), p.remoteArea(), p.status(), p.receivedOn(), p.acceptedOn(), p.splitFromId(),
                deadlines, nextDue, nextDue != null && nextDue.isBefore(today), p.version(), p.createdAt(), p.updatedAt());
    }
}
