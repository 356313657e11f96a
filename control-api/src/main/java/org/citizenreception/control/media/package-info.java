/**
 * The bridge adapter: translates reception sessions into media-server conferences and media events
 * back into the domain. {@link org.citizenreception.control.media.SessionMedia} owns the mapping of
 * endpoints to sessions and rooms; {@link org.citizenreception.control.media.WhipWhepController}
 * speaks WHIP (RFC 9725) and WHEP over HTTP; {@link org.citizenreception.control.media.StageState}
 * keeps each live stage's layout and share for room screens, which
 * {@link org.citizenreception.control.media.StageController} serves and the host steers. The media-server module knows nothing of sessions,
 * rooms or attendance; only this package translates between the two vocabularies.
 */
package org.citizenreception.control.media;
