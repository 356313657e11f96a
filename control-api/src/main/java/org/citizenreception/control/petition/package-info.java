/**
 * The reception register (LTCD Art. 25): petitions with their petitioners, kind, flags, statutory
 * deadlines, status history, annotations and every earlier version. Nothing here is ever lost:
 * each change appends a full snapshot, and edits made against an old version are refused with
 * both sides (409) instead of overwriting.
 *
 * <p>Petitioners' names, ID numbers and addresses are personal data: {@link
 * org.citizenreception.control.petition.PetitionView} decides what each role sees, and every
 * reveal of a denouncer's identity or an unmasked export is written to the audit log.
 */
package org.citizenreception.control.petition;
