package org.citizenreception.media.rtp;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Loads {@link NoLeaks} as the test JVM's JUnit session opens, before any test class can make the
 * first ByteBuf: its leak listener must be in place by then, or it would never hear of a leak. The
 * unit tests share one JVM, so without this the class that happened to run first would decide
 * whether leaks are seen at all. Registered in META-INF/services.
 *
 * <p>Not in a fuzz fork (the build's fuzz execution sets {@code JAZZER_FUZZ}): no fuzz test uses
 * {@link NoLeaks} (each checks its buffers' reference counts itself), and loading Netty's leak
 * detector there, before Jazzer's agent, cost every fork about 7 s of CPU (RtpPacketFuzzTest: 32-34 s
 * against 25-26 s, measured back to back).
 */
public final class NoLeaksFromTheStart implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getenv("JAZZER_FUZZ") == null) {
            NoLeaks.installed();
        }
    }
}
