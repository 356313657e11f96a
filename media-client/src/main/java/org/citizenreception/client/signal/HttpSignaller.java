package org.citizenreception.client.signal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * WHIP/WHEP over {@code java.net.http}: {@code POST application/sdp} with a bearer token, expect
 * {@code 201 Created} with the answer and a {@code Location}, {@code DELETE} that location to leave.
 * One HttpClient serves every peer of the JVM. HTTPS is accepted with any certificate because the
 * client is a test and load tool pointed at a server its operator started; it never carries secrets
 * beyond the join token it was given for that server.
 */
final class HttpSignaller implements Signaller {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = newClient();

    private final URI endpoint;
    private final String bearerToken;
    private volatile URI resource;

    HttpSignaller(URI endpoint, String bearerToken) {
        this.endpoint = endpoint;
        this.bearerToken = bearerToken;
    }

    @Override
    public String exchange(String offerSdp) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/sdp")
                .header("Accept", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offerSdp));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("POST " + endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("POST " + endpoint + " answered 201 without Location"));
        resource = endpoint.resolve(location);
        return response.body();
    }

    @Override
    public void leave() {
        URI target = resource;
        resource = null;
        if (target == null) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT).DELETE();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // leaving is best effort: the server's consent timeout ends the endpoint anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpClient newClient() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT)
                    .sslContext(ssl)
                    .sslParameters(parameters)
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
