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
    void operatorPemFilesAreServed() throws Exception {
        Path generated = dataDir.resolve("operator");
        TlsCertificates.selfSigned(generated);
        ReceptionConfig config = ReceptionConfig.load(new String[] {"--config=" + emptyConfig(), "--http.port=0",
                "--media.port=0", "--https.enabled=true", "--https.port=0", "--data.dir=" + dataDir,
                "--holidays.file=" + TestServer.configFile("holidays-vn.csv"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"),
                "--https.certificate-file=" + generated.resolve("cert.pem"),
                "--https.private-key-file=" + generated.resolve("key.pem")}, Map.of());
        try (ReceptionServer server = ReceptionServer.start(config, "x-admin-password-1", Clock.systemUTC())) {
            assertThat(fetchHealthOverTls(server.httpsPort().orElseThrow())).as("the served certificate is the operator's")
                    .isEqualTo(pemCertificate(generated.resolve("cert.pem")));
            assertThat(dataDir.resolve("tls").resolve("cert.pem")).as("no self-signed certificate made beside the operator's")
                    .doesNotExist();
        }
    }

    private ReceptionServer start() throws Exception {
        ReceptionConfig config = ReceptionConfig.load(new String[] {"--config=" + emptyConfig(), "--http.port=0",
                "--media.port=0", "--https.enabled=true", "--https.port=0", "--data.dir=" + dataDir,
                "--holidays.file=" + TestServer.configFile("holidays-vn.csv"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv")}, Map.of());
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
        HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        SSLSession session = response.sslSession().orElseThrow();
        return java.util.HexFormat.of().formatHex(session.getPeerCertificates()[0].getEncoded());
    }
}
