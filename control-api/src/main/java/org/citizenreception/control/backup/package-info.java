/**
 * Backup and restore of what a server cannot be rebuilt without: the SQLite database (copied with
 * {@code VACUUM INTO}, safe while the server writes), the audit key (without it the chain cannot be
 * verified) and the audit checkpoints. Recordings are large and written once; they are copied by
 * the operator (rsync of the recording folder), not daily. Called by {@code Main}'s {@code backup}
 * and {@code restore} commands and by the daily schedule the server runs.
 */
package org.citizenreception.control.backup;
