package org.citizenreception.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.citizenreception.control.ReceptionServer;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTest {
    @TempDir
    Path dataDir;

    @Test
    void selfSignedHttpsServesHealthAndKeepsItsCertificateAcrossRestarts() throws Exception {
        String firstFingerprint;
        try (ReceptionServer server = start()) {
            firstFingerprint = fetchHealthOverTls(server.httpsPort().orElseThrow());
        }
        assertThat(firstFingerprint).as("the served certificate is the one written to the data folder")
                .isEqualTo(pemCertificate(dataDir.resolve("tls").resolve("cert.pem")));
        try (ReceptionServer server = start()) {
            assertThat(fetchHealthOverTls(server.httpsPort().orElseThrow())).isEqualTo(firstFingerprint);
        }
    }

    @Test
    void plainHttpIsRedirectedToHttpsWhichSendsHsts() throws Exception {
        try (ReceptionServer server = start()) {
            int https = server.httpsPort().orElseThrow();
            HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> redirected = plain.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.httpPort() + "/api/v1/auth/me?x=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(redirected.statusCode()).isEqualTo(308);
            assertThat(redirected.headers().firstValue("Location")).contains("https://localhost:" + https + "/api/v1/auth/me?x=1");
            assertThat(redirected.headers().firstValue("Strict-Transport-Security")).isEmpty();
            HttpResponse<String> page = plain.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.httpPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(308);
            // Monitoring probes keep plain HTTP: no personal data there, and no certificate to trust.
            HttpResponse<String> health = plain.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            HttpResponse<String> secure = trustingClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + https + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(200);
            assertThat(secure.headers().firstValue("Strict-Transport-Security")).contains(SecurityHeaders.HSTS);
            assertThat(secure.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
        }
    }

    @Test
    void theSelfSignedKeyIsOwnerOnly() throws Exception {
        try (ReceptionServer server = start()) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("tls").resolve("key.pem")))).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("tls")))).isEqualTo("rwx------");
        }
    }

    @Test
    void operatorPemFilesAreServed() throws Exception {
        Path generated = dataDir.resolve("operator");
        TlsCertificates.selfSigned(generated);
        ReceptionConfig config = ReceptionConfig.load(new String[] {"--config=" + emptyConfig(), "--http.port=0",
                "--media.port=0", "--https.enabled=true", "--https.port=0", "--data.dir=" + dataDir,
                "--holidays.file=" + TestServer.configFile("holidays-vn.csv"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"),
                "--https.certificate-file=" + generated.resolve("cert.pem"),
                "--https.private-key-file=" + generated.resolve("key.pem"),
                storeArgument()}, Map.of());
        try (ReceptionServer server = ReceptionServer.start(config, "x-admin-password-1", Clock.systemUTC())) {
            assertThat(fetchHealthOverTls(server.httpsPort().orElseThrow())).as("the served certificate is the operator's")
                    .isEqualTo(pemCertificate(generated.resolve("cert.pem")));
            assertThat(dataDir.resolve("tls").resolve("cert.pem")).as("no self-signed certificate made beside the operator's")
                    .doesNotExist();
        }
    }

    /** The store of this run (an empty argument is ignored). */
    private String storeArgument() {
        return TestStore.serverArguments(dataDir).stream().findFirst().orElse("--store.url=");
    }

    private ReceptionServer start() throws Exception {
        ReceptionConfig config = ReceptionConfig.load(new String[] {"--config=" + emptyConfig(), "--http.port=0",
                "--media.port=0", "--https.enabled=true", "--https.port=0", "--data.dir=" + dataDir,
                "--holidays.file=" + TestServer.configFile("holidays-vn.csv"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"), storeArgument()}, Map.of());
        return ReceptionServer.start(config, "x-admin-password-1", Clock.systemUTC());
    }

    private Path emptyConfig() throws Exception {
        Path file = dataDir.resolve("empty.conf");
        if (!Files.exists(file)) {
            Files.writeString(file, "");
        }
        return file;
    }

    /** The first certificate of a PEM file, DER-encoded as hex (the form {@link #fetchHealthOverTls} returns). */
    private static String pemCertificate(Path pem) throws Exception {
        try (java.io.InputStream in = Files.newInputStream(pem)) {
            return java.util.HexFormat.of().formatHex(java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in).getEncoded());
        }
    }

    /** Returns the server certificate's encoded form as hex, after checking /health answers 200. */
    private static String fetchHealthOverTls(int port) throws Exception {
        HttpClient client = trustingClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        SSLSession session = response.sslSession().orElseThrow();
        return java.util.HexFormat.of().formatHex(session.getPeerCertificates()[0].getEncoded());
    }

    private static HttpClient trustingClient() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return HttpClient.newBuilder().sslContext(trustAll).build();
    }
}
