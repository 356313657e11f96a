/**
 * Recording, archive and the session record (issue 12; Law 136/2025/QH15 keeps online receptions).
 *
 * <p>{@link org.citizenreception.control.recording.RecordingService} starts a
 * {@link org.citizenreception.control.recording.SessionRecorder} when a session with its recording
 * flag goes LIVE: one {@link org.citizenreception.control.recording.SlotMuxer} (an ffmpeg child
 * process fed plain RTP over loopback, described by an SDP file, writing Matroska as it goes) per
 * stage slot, each fed by the bridge's recorder subscription. When the session ends the parts are
 * sealed (SHA-256 to the audit log) and {@link org.citizenreception.control.recording.ProgramComposer}
 * makes the browser-playable program file at nice 19. The archive routes live in
 * {@link org.citizenreception.control.recording.RecordingController}.
 */
package org.citizenreception.control.recording;
