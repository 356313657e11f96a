package org.citizenreception.control.session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.validation.Fields;

/**
 * Who presides a session: a HOST account, or an entry of the leaders list, stored by id with the
 * name as it read that day (so a duty report counts sessions per leader, and an old session keeps
 * the name it was announced with). A bare name from an older client carries neither id: the
 * session is filed under the leader of that name when it is saved ({@link LeaderService#fileTypedName}).
 */
record PresidingOfficial(String name, Long userId, Long leaderId) {

    /**
     * @param userId   the chosen account, or null
     * @param leaderId the chosen leader of the list, or null
     * @param text     a typed name, used only when neither is chosen
     * @throws DomainException 422 naming {@code presidingUserId} when the account is missing, disabled or not a HOST,
     *                      {@code presidingLeaderId} when the leader is missing or inactive or both are chosen,
     *                      or {@code presidingOfficial} when none is given
     */
    static PresidingOfficial resolve(Database database, Long userId, Long leaderId, String text) {
        if (userId != null && leaderId != null) {
            throw DomainErrors.invalid("presidingLeaderId", "choose a host account or a leader of the list, not both");
        }
        if (leaderId != null) {
            String name = Transactions.read(database, c -> LeaderService.activeName(c, leaderId).orElse(null));
            if (name == null) {
                throw DomainErrors.invalid("presidingLeaderId", "must be an active leader of the list");
            }
            return new PresidingOfficial(name, null, leaderId);
        }
        if (userId == null) {
            return new PresidingOfficial(Fields.required("presidingOfficial", text, 300).strip(), null, null);
        }
        String name = Transactions.read(database, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT display_name, role, disabled FROM users WHERE id = ?")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"HOST".equals(rs.getString(2)) || rs.getInt(3) != 0) {
                        return null;
                    }
                    return rs.getString(1);
                }
            }
        });
        if (name == null) {
            throw DomainErrors.invalid("presidingUserId", "must be an enabled host account");
        }
        return new PresidingOfficial(name, userId, null);
    }
}
