package org.citizenreception.media.rtp;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Loads {@link NoLeaks} as the test JVM's JUnit session opens, before any test class can make the
 * first ByteBuf: its leak listener must be in place by then, or it would never hear of a leak. The
 * unit tests share one JVM, so without this the class that happened to run first would decide
 * whether leaks are seen at all. Registered in META-INF/services.
 */
public final class NoLeaksFromTheStart implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NoLeaks.installed();
    }
}
