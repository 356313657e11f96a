package org.citizenreception.control.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code recording.*} keys.
 *
 * @param directory     slot recordings, program files and session records, one folder per session
 * @param ffmpeg        the muxer/composer executable (a name on PATH or a path)
 * @param minFreeMb     no recording starts below this much free disk, and a running one stops
 * @param retentionDays after this a file is listed as due for disposal (deleted only on an admin's confirmation)
 * @param stall         a muxer that writes nothing for this long while media flows is restarted
 */
public record RecordingSettings(Path directory, String ffmpeg, long minFreeMb, int retentionDays, Duration stall) {
}
