/**
 * Reception sessions: scheduling (one-off and recurring), the state machine SCHEDULED → LIVE →
 * ENDED → ARCHIVED with CANCELLED and POSTPONED, the rooms each session invites (resolved and kept
 * when saved), and room join tokens for WHIP/WHEP and room consoles.
 *
 * <p>Called by the HTTP controllers here and by the media side through
 * {@link org.citizenreception.control.session.SessionService#mediaReportedLive} and
 * {@link org.citizenreception.control.session.JoinTokens#mayPublish}.
 */
package org.citizenreception.control.session;
