/**
 * Room messages: short texts a room sends to the session's host and secretaries while it runs
 * ("no sound", "the citizen is here", a question), the staff's replies, and the petition drafts a
 * secretary makes of them. Kept with the session, append-only; a room reads its own thread only.
 *
 * <p>Called by the HTTP routes in {@link org.citizenreception.control.message.RoomMessageRoutes};
 * calls the petition register once, to file a draft.
 */
package org.citizenreception.control.message;
