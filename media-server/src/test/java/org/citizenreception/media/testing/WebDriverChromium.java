package org.citizenreception.media.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Debian Chromium driven through the Debian chromedriver with the plain W3C WebDriver
 * wire protocol (no test tool that would download its own browser). Flags from TESTING.md.
 * chromedriver binds a port of the kernel's choosing ({@code --port=0}) and we read it from the line
 * it prints, so no other process can take the port between choosing and binding it.
 */
public final class WebDriverChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final Path profile;
    private String session;

    public static boolean isInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");

    public WebDriverChromium() throws Exception {
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=0").redirectErrorStream(true).start();
        base = "http://127.0.0.1:" + boundPort(driver);
        profile = Files.createTempDirectory("chromium-profile");
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException notYet) {
                // driver still starting
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("chromedriver did not start");
            }
            Thread.sleep(100);
        }
        List<String> args = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-features=WebRtcHideLocalIpsWithMdns", "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream=fps=30", "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile);
        Map<String, Object> capabilities = Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", args))));
        session = call("POST", "/session", capabilities).path("value").path("sessionId").asText();
    }

    /**
     * The port chromedriver (started with {@code --port=0}) reports it bound; its further output is
     * read and dropped so it never blocks. Shared with control-api's Selenium browser.
     */
    public static int boundPort(Process driver) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(driver.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    } else if (!port.isDone()) {
                        seen.append(line).append('\n');
                    }
                }
            } catch (IOException ended) {
                // the driver exited
            }
            port.completeExceptionally(new IllegalStateException("chromedriver exited without a port: " + seen));
        }, "chromedriver-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            driver.destroyForcibly();
            throw new IllegalStateException("chromedriver printed no port within 30 s: " + seen, e);
        }
    }

    public void open(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    /** Runs {@code await expression} in the page and returns its JSON value. */
    public JsonNode await(String expression, Object... args) throws Exception {
        String script = "const done = arguments[arguments.length - 1];"
                + "(async () => " + expression + ")().then(done, e => done({error: String(e)}));";
        JsonNode value = call("POST", "/session/" + session + "/execute/async",
                Map.of("script", script, "args", List.of(args))).path("value");
        if (value.has("error")) {
            throw new IllegalStateException("page script failed: " + value.get("error").asText());
        }
        return value;
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            throw new IOException("webdriver " + method + " " + path + ": " + json.path("value").path("message").asText());
        }
        return json;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception e) {
            // the browser goes with the driver below
        }
        driver.destroy();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
