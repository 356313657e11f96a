package org.citizenreception.control.petition;

import java.time.Instant;
import org.citizenreception.control.petition.CaseCommands.LinkKind;

/**
 * A link between two petitions as one of them sees it: {@code outgoing} when this petition made it
 * (a second round naming its first), otherwise made by {@code otherId}.
 */
public record CaseLink(long otherId, String otherRegisterNumber, LinkKind kind, boolean outgoing, Instant at) {
}
