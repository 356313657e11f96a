package org.citizenreception.media.testing;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A libwebrtc viewer in a JVM of its own, so a test can run it where the test's JVM is not: inside
 * a network namespace ({@code ip netns exec <ns> java -cp … ViewerProcess}). It speaks lines on
 * stdin/stdout: it prints {@code OFFER <base64 sdp>}, reads {@code ANSWER <base64 sdp>}, then prints
 * {@code FRAMES <decoded> PATH <selected pair>} twice a second until stdin closes.
 */
public final class ViewerProcess {
    private ViewerProcess() {
    }

    public static void main(String[] args) throws Exception {
        PeerConnectionFactory factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
        LibwebrtcPeer viewer = LibwebrtcPeer.viewer(factory, args.length > 0 ? args[0] : "room", 1);
        Base64.Encoder encoder = Base64.getEncoder();
        System.out.println("OFFER " + encoder.encodeToString(viewer.createOffer().getBytes(StandardCharsets.UTF_8)));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String answer = in.readLine();
        if (answer == null || !answer.startsWith("ANSWER ")) {
            throw new IllegalStateException("expected ANSWER, got " + answer);
        }
        viewer.setAnswer(new String(Base64.getDecoder().decode(answer.substring("ANSWER ".length())), StandardCharsets.UTF_8));
        Thread reporter = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    System.out.println("FRAMES " + viewer.framesDecoded() + " PATH " + viewer.selectedPath());
                    System.out.flush();
                    Thread.sleep(500); // a report cadence, not synchronisation
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.out.println("ERROR " + e);
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        while (in.readLine() != null) {
            // until the test closes our stdin
        }
        reporter.interrupt();
        viewer.close();
        factory.dispose();
    }
}
