package org.citizenreception.control.recording;

/** The bridge's conference id of a session, as the media adapter names it (SessionMedia.conferenceId). */
final class MediaBridgeIds {
    private MediaBridgeIds() {
    }

    static String conferenceId(long sessionId) {
        return org.citizenreception.control.media.SessionMedia.conferenceId(sessionId);
    }
}
