/**
 * The handling agencies the administrator keeps (a department, the inspectorate): the list a
 * petition's ASSIGNED or TRANSFERRED step names its agency from, so that reports can count by
 * agency instead of by free text. Called by the HTTP layer only; the petition package reads the
 * table directly inside its own transactions.
 */
package org.citizenreception.control.agency;
