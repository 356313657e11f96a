package org.citizenreception.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Just enough of Janus' HTTP API and VideoRoom plugin to put the same publisher and viewers on
 * Janus as on our server: one Janus session, a handle per peer, plugin events read by a
 * long-poll thread (which also keeps the session alive) and matched to requests by transaction.
 */
final class JanusVideoRoom implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI base;
    private final long room;
    private final long session;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final Thread poller;
    private volatile boolean closed;
    private volatile long feedId = -1;

    JanusVideoRoom(URI base, long room) throws IOException, InterruptedException {
        this.base = base;
        this.room = room;
        this.session = post(base, request("create")).path("data").path("id").asLong();
        poller = new Thread(this::poll, "janus-poll");
        poller.setDaemon(true);
        poller.start();
    }

    /** Publishes with our offer and returns Janus' answer. */
    String publish(String offerSdp) {
        try {
            long handle = attach();
            ObjectNode body = JSON.createObjectNode().put("request", "joinandconfigure").put("room", room)
                    .put("ptype", "publisher").put("display", "bench-publisher").put("audio", true).put("video", true);
            JsonNode event = message(handle, body, "offer", offerSdp);
            feedId = event.path("plugindata").path("data").path("id").asLong(-1);
            String answer = event.path("jsep").path("sdp").asText(null);
            if (answer == null) {
                throw new IOException("Janus did not answer the publisher: " + event);
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Subscribes to the publisher: returns a handle and Janus' offer. */
    Subscription subscribe() throws IOException, InterruptedException {
        if (feedId < 0) {
            throw new IllegalStateException("nothing published yet");
        }
        long handle = attach();
        ObjectNode body = JSON.createObjectNode().put("request", "join").put("room", room).put("ptype", "subscriber");
        body.putArray("streams").addObject().put("feed", feedId);
        JsonNode event = message(handle, body, null, null);
        String offer = event.path("jsep").path("sdp").asText(null);
        if (offer == null) {
            throw new IOException("Janus sent no offer to the subscriber: " + event);
        }
        return new Subscription(handle, offer);
    }

    /** Starts a subscription with our answer. */
    void start(Subscription subscription, String answerSdp) throws IOException, InterruptedException {
        message(subscription.handle(), JSON.createObjectNode().put("request", "start"), "answer", answerSdp);
    }

    record Subscription(long handle, String offerSdp) {
    }

    private long attach() throws IOException, InterruptedException {
        ObjectNode r = request("attach").put("plugin", "janus.plugin.videoroom");
        return post(base.resolve(base.getPath() + "/" + session), r).path("data").path("id").asLong();
    }

    /** Sends a plugin message and waits for its asynchronous event (the plugin's real reply). */
    private JsonNode message(long handle, ObjectNode body, String jsepType, String sdp)
            throws IOException, InterruptedException {
        ObjectNode r = request("message");
        r.set("body", body);
        if (jsepType != null) {
            r.putObject("jsep").put("type", jsepType).put("sdp", sdp).put("trickle", false); // our SDP holds every candidate
        }
        String transaction = r.path("transaction").asText();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(transaction, reply);
        JsonNode sync = post(base.resolve(base.getPath() + "/" + session + "/" + handle), r);
        if (!"ack".equals(sync.path("janus").asText())) {
            pending.remove(transaction);
            if (sync.has("plugindata")) {
                return sync;
            }
            throw new IOException("Janus refused the message: " + sync);
        }
        try {
            JsonNode event = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode error = event.path("plugindata").path("data").path("error");
            if (!error.isMissingNode()) {
                throw new IOException("Janus VideoRoom error: " + error.asText());
            }
            return event;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("no reply from Janus to " + body, e);
        } finally {
            pending.remove(transaction);
        }
    }

    private void poll() {
        URI uri = URI.create(base + "/" + session + "?maxev=10");
        while (!closed) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode node = JSON.readTree(r.body());
                if (node.isArray()) {
                    node.forEach(this::dispatch);
                } else {
                    dispatch(node);
                }
            } catch (IOException e) {
                if (!closed) {
                    sleepQuietly();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch(JsonNode event) {
        String transaction = event.path("transaction").asText(null);
        if (transaction != null && event.has("plugindata")) {
            CompletableFuture<JsonNode> f = pending.get(transaction);
            if (f != null) {
                f.complete(event);
            }
        }
    }

    private ObjectNode request(String verb) {
        return JSON.createObjectNode().put("janus", verb).put("transaction", "t" + transactions.incrementAndGet());
    }

    private JsonNode post(URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode node = JSON.readTree(r.body());
        if ("error".equals(node.path("janus").asText())) {
            throw new IOException("Janus error: " + node.path("error"));
        }
        return node;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            post(URI.create(base + "/" + session), request("destroy"));
        } catch (IOException | InterruptedException e) {
            // Janus ends the session on its own timeout
        }
        poller.interrupt();
    }
}
