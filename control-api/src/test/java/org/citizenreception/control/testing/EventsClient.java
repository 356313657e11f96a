package org.citizenreception.control.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client of {@code /api/v1/sessions/{id}/events}: sends the token as its first
 * message (as the web client does), collects every text message, and records the close code and
 * when it arrived (System.nanoTime), so a test can measure how fast a revocation closes it.
 */
public final class EventsClient implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A close as the client saw it. */
    public record Closed(int code, String reason, long atNanos) {
    }

    public final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    public final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private EventsClient() {
    }

    /** Connects and, when {@code token} is not null, sends it as the first message. */
    public static EventsClient open(TestServer t, long sessionId, String token) {
        return openUri(URI.create("ws://127.0.0.1:" + t.server.httpPort() + "/api/v1/sessions/" + sessionId + "/events"), token);
    }

    public static EventsClient openUri(URI uri, String token) {
        EventsClient c = new EventsClient();
        try {
            c.socket = HTTP.newWebSocketBuilder().buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot open " + uri, e);
        }
        if (token != null) {
            c.socket.sendText("{\"token\":\"" + token + "\"}", true);
        }
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.add(new Closed(statusCode, reason, System.nanoTime()));
        return null;
    }

    /** The next message within 10 s (fails otherwise). */
    public JsonNode next() throws InterruptedException {
        JsonNode n = messages.poll(10, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no message within 10 s");
        }
        return n;
    }

    /** Waits for the {@code subscribed} greeting; fails on a close or another message. */
    public EventsClient subscribed() throws InterruptedException {
        JsonNode first = messages.poll(10, TimeUnit.SECONDS);
        if (first == null || !"subscribed".equals(first.path("type").asText())) {
            throw new AssertionError("expected the subscribed greeting, got " + first + " / close " + closed.peek());
        }
        return this;
    }

    /** The close within 10 s (fails otherwise). */
    public Closed awaitClose() throws InterruptedException {
        Closed c = closed.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("the socket did not close within 10 s");
        }
        return c;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
