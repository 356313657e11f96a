package org.citizenreception.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.citizenreception.control.testing.RawHttp;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client cannot hold the HTTP server with a request it never finishes, nor with connections it
 * never uses: a body trickling in below the minimum data rate is cut off, a silent one times out,
 * and past the connection limit new connections wait until one closes. Raw sockets, each from its
 * own loopback address; meanwhile another client is served.
 */
class HttpConnectionLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aBodySentOneByteAtATimeIsCutOffWhileAnotherClientIsServed() throws Exception {
        try (TestServer t = TestServer.start(dir, "--limits.http-idle-timeout-seconds=3",
                "--limits.http-min-request-bytes-per-second=100")) {
            int port = t.server.httpPort();
            try (Socket slow = RawHttp.connect("127.0.0.41", port)) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 200\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.setSoTimeout(1000);
                long started = System.nanoTime();
                int sent = 0;
                String answer = null;
                // one byte a second: never idle for the 3 s timeout, but 1 B/s against a minimum of 100 B/s
                while (answer == null && sent < 200 && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                    try {
                        out.write('{');
                        out.flush();
                        sent++;
                    } catch (IOException e) {
                        answer = "reset: " + e.getMessage();
                        break;
                    }
                    answer = readSome(slow.getInputStream());
                    if (sent == 2) {
                        assertThat(RawHttp.request("127.0.0.42", port, "GET", "/health", null, null, null).status())
                                .as("another client meanwhile").isEqualTo(200);
                    }
                }
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                System.out.printf("slow body: cut off after %d s and %d of 200 bytes: %s%n", seconds, sent,
                        answer == null ? "(nothing)" : answer.lines().findFirst().orElse(""));
                assertThat(answer).as("the server ended the trickling request").isNotNull();
                assertThat(sent).as("bytes of the body the server waited for").isLessThan(200);
                assertThat(answer).startsWith("HTTP/1.1 408");
                assertThat(answer).contains("application/problem+json");
                assertThat(LimitsUnderAbuseTest.metric(t, "reception_limit_refusals_total", "http-slow-request")).isEqualTo(1);
            }

            try (Socket silent = RawHttp.connect("127.0.0.43", port)) {
                silent.getOutputStream().write("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
                        .getBytes(StandardCharsets.US_ASCII));
                silent.setSoTimeout(1000);
                long started = System.nanoTime();
                String answer = null;
                while (answer == null && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                    answer = readSome(silent.getInputStream());
                }
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                System.out.printf("silent body: ended after %d s: %s%n", seconds, answer);
                assertThat(answer).as("a request gone silent is ended").isNotNull();
                assertThat(seconds).as("seconds until then, against an idle timeout of 3 s").isLessThan(30);
            }
        }
    }

    @Test
    void pastTheConnectionLimitANewConnectionWaitsUntilOneCloses() throws Exception {
        int limit = 4;
        try (TestServer t = TestServer.start(dir, "--limits.http-max-connections=" + limit)) {
            int port = t.server.httpPort();
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < limit - 2; i++) {
                    idle.add(RawHttp.connect("127.0.0.5" + i, port));
                }
                // the gauge, read on a connection of its own while two below the limit
                RawHttp.Reply metrics = RawHttp.request("127.0.0.58", port, "GET", "/metrics", null, null, null);
                assertThat(metrics.body()).contains("reception_api_http_connections " + (limit - 1) + ".0");
                for (int i = limit - 2; i < limit; i++) {
                    idle.add(RawHttp.connect("127.0.0.5" + i, port));
                }
                try (Socket waiting = RawHttp.connect("127.0.0.59", port)) {
                    waiting.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    waiting.setSoTimeout(1500);
                    assertThat(readSome(waiting.getInputStream())).as("answer while %d connections are held", limit).isNull();
                    idle.remove(0).close();
                    waiting.setSoTimeout(20_000);
                    RawHttp.Reply reply = RawHttp.read(waiting.getInputStream());
                    assertThat(reply.status()).as("answered once a connection closed").isEqualTo(200);
                }
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    /** What the server sent within the socket's timeout ("closed" at end of stream), or null if nothing came. */
    private static String readSome(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            return n < 0 ? "closed" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return "reset: " + e.getMessage();
        }
    }
}
