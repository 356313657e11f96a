package org.citizenreception.control.session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.validation.Fields;

/**
 * Who presides a session: a HOST account, stored by id with its display name as it read that day
 * (so a duty report counts sessions per leader, and an old session keeps the name it was announced
 * with). A bare name is still accepted from clients that predate accounts; it carries no id.
 */
record PresidingOfficial(String name, Long userId) {

    /**
     * @param userId the chosen account, or null
     * @param text   a typed name, used only when no account is chosen
     * @throws DomainException 422 naming {@code presidingUserId} when the account is missing, disabled or not a HOST,
     *                      or {@code presidingOfficial} when neither is given
     */
    static PresidingOfficial resolve(Database database, Long userId, String text) {
        if (userId == null) {
            return new PresidingOfficial(Fields.required("presidingOfficial", text, 300), null);
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
        return new PresidingOfficial(name, userId);
    }
}
