package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (PARANOID in the build) found a ByteBuf that was
 * garbage-collected without being released. Netty only logs leaks; this turns the log into a
 * failure by listening to the detectors it creates, forcing a GC after the class, and letting the
 * detector poll its queue.
 *
 * <p>It must install its factory before the first ByteBuf class initialises: {@link NoLeaksFromTheStart}
 * loads it as the test JVM starts. Test classes share that JVM, so a leak found after one class may
 * also come from a class that ran before it without this check.
 */
public final class NoLeaks implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean listening;

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation") // the one abstract method; Netty calls it for every detector
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
                detector.setLeakListener((type, records) -> LEAKS.add(type + " leaked:\n" + records));
                listening = true;
                return detector;
            }
        });
    }

    /** Loading this class installs the listening factory; nothing else to do. */
    static void installed() {
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ByteBuf probe = Bytes.buffer(1); // make sure the buffer detector exists
        probe.release();
        if (!listening) {
            return;
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20); // the reference handler thread enqueues collected trackers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 100; i++) {
                Bytes.buffer(1).release(); // each allocation polls the detector's reference queue
            }
        }
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(found).as("ByteBufs garbage-collected without release in " + context.getDisplayName()
                + " (or in a test class that ran before it in this JVM)").isEmpty();
    }
}
