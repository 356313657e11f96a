package org.citizenreception.control.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.media.conference.CascadeUpstream;

/**
 * A cascade link's signalling to the upstream bridge over its API ({@link BridgeApi}'s links route):
 * the downstream bridge calls the upstream one directly, not through control-api, with a token it
 * mints for that bridge. Bridges trust each other's tokens because every bridge and control-api share
 * one secret ({@code bridge.secret}): whoever holds it may already drive any bridge, so a bridge
 * calling another gains nothing it did not have.
 */
final class HttpCascadeUpstream implements CascadeUpstream {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String conferenceId;
    private final String upstreamBridgeId;
    private final URI upstreamApiUrl;
    private final BridgeToken tokens;
    private final Clock clock;
    private final ObjectMapper json = HttpServer.objectMapper();

    HttpCascadeUpstream(String conferenceId, String upstreamBridgeId, URI upstreamApiUrl, BridgeToken tokens, Clock clock) {
        this.conferenceId = conferenceId;
        this.upstreamBridgeId = upstreamBridgeId;
        this.upstreamApiUrl = upstreamApiUrl;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Answers open(String linkId, String downOffer, String upOffer) {
        HttpResponse<String> r = call("POST", linkId, new BridgeWire.LinkRequest(downOffer, upOffer));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("bridge " + upstreamBridgeId + " refused cascade link " + linkId + ": HTTP "
                    + r.statusCode() + " " + r.body());
        }
        try {
            BridgeWire.LinkAnswers answers = json.readValue(r.body(), BridgeWire.LinkAnswers.class);
            return new Answers(answers.down(), answers.up());
        } catch (IOException e) {
            throw new IllegalStateException("bridge " + upstreamBridgeId + " answered link " + linkId + " with no answers", e);
        }
    }

    @Override
    public void close(String linkId) {
        call("DELETE", linkId, null);
    }

    private HttpResponse<String> call(String method, String linkId, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(upstreamApiUrl.resolve(BridgeApi.PREFIX + "/conferences/"
                            + conferenceId + "/links/" + linkId))
                    .timeout(CALL_TIMEOUT)
                    .header("Authorization", "Bearer " + tokens.mint(upstreamBridgeId, BridgeToken.TO_BRIDGE, clock.instant()));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("bridge " + upstreamBridgeId + " did not answer for link " + linkId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling bridge " + upstreamBridgeId, e);
        }
    }
}
