package org.citizenreception.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.citizenreception.media.conference.CascadeUpstream;

/**
 * One bridge of the cascade sweep as a process of its own (as in production, one bridge per
 * machine): a {@link MeasuredMediaBridge} driven over stdin/stdout by {@link ChildProcessBridge},
 * one request line at a time, SDP in base64. Its JVM holds nothing but the bridge, so the process's
 * CPU time is the bridge's.
 *
 * <p>Requests and answers: {@code publish ID OFFER} / {@code subscribe ID OFFER} → {@code OK ANSWER};
 * {@code accept LINK DOWN UP} → {@code OK DOWN_ANSWER UP_ANSWER}; {@code link LINK} → {@code OPEN
 * LINK DOWN UP} (the driver asks the upstream bridge and replies {@code ANSWERS DOWN UP}), then
 * {@code OK} once connected; {@code sample} → {@code OK} and the {@link BridgeSample#encode} fields;
 * {@code quit}. A failed request answers {@code ERR message}. {@code READY} once the bridge listens.
 */
public final class BridgeProcessMain {
    private BridgeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // anything else printed goes to the log, never into the protocol
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (MeasuredMediaBridge bridge = new MeasuredMediaBridge()) {
            protocol.println("READY");
            String line;
            while ((line = requests.readLine()) != null && !line.equals("quit")) {
                String[] f = line.split(" ");
                try {
                    protocol.println(switch (f[0]) {
                        case "publish" -> "OK " + encode(bridge.publish(f[1], decode(f[2])));
                        case "subscribe" -> "OK " + encode(bridge.subscribe(f[1], decode(f[2])));
                        case "accept" -> {
                            CascadeUpstream.Answers answers = bridge.acceptLink(f[1], decode(f[2]), decode(f[3]));
                            yield "OK " + encode(answers.down()) + " " + encode(answers.up());
                        }
                        case "link" -> {
                            bridge.linkUpstream(f[1], new UpstreamThroughDriver(protocol, requests));
                            yield "OK";
                        }
                        case "sample" -> "OK " + bridge.sample(true).encode();
                        default -> "ERR unknown request " + f[0];
                    });
                } catch (RuntimeException e) {
                    protocol.println("ERR " + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
        }
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The link's signalling goes out to the driver, which carries it to the upstream bridge. */
    private record UpstreamThroughDriver(PrintStream protocol, BufferedReader requests) implements CascadeUpstream {
        @Override
        public Answers open(String linkId, String downOffer, String upOffer) {
            protocol.println("OPEN " + linkId + " " + encode(downOffer) + " " + encode(upOffer));
            try {
                String[] reply = requests.readLine().split(" ");
                if (!reply[0].equals("ANSWERS")) {
                    throw new IllegalStateException("the upstream bridge refused the link: " + String.join(" ", reply));
                }
                return new Answers(decode(reply[1]), decode(reply[2]));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close(String linkId) {
            // the sweep closes whole bridges, never one link
        }
    }
}
