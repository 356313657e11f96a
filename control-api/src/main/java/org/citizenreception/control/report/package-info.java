/**
 * Reports on the register and the reception duty (issue 13): petitions by unit, kind, status and
 * handling agency, received against resolved and overdue with the same period a year earlier, the
 * resolution rate within the legal limit, the backlog carried over and sessions held per leader
 * against the legal minimum. Units abolished by a merger are counted under their successor.
 */
package org.citizenreception.control.report;
