package org.citizenreception.control.recording;

import java.time.Instant;

/**
 * One archived file of a session, as listed in the archive.
 *
 * @param kind            SLOT (a stage slot as recorded, one part), PROGRAM (the composed WebM), CHAPTERS (WebVTT)
 * @param interrupted     recovered after the server stopped without ending the recording
 * @param dueForDisposal  sealed longer ago than the retention period; deleted only on an admin's confirmation
 */
public record Recording(long id, long sessionId, String kind, String fileName, String mediaType, Instant startedAt,
                        Instant endedAt, long durationMs, long sizeBytes, String sha256, Instant sealedAt,
                        boolean interrupted, Instant disposedAt, boolean dueForDisposal) {
}
