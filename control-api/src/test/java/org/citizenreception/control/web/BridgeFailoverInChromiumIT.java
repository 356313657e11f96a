package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.PATIENCE;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.until;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.citizenreception.control.testing.BridgeProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client follows a bridge that dies: control-api runs media on two bridge processes; the
 * host broadcasts from Chromium's console and a room screen plays the program; the host's wall names
 * the bridge the room is on. The bridge carrying the session is killed with SIGKILL: the room
 * screen decodes the program again from the other bridge within 10 s, without a reload, and the wall
 * names the new bridge.
 */
class BridgeFailoverInChromiumIT {
    private static final String SECRET = "chromium-failover-bridge-secret";
    private static final Duration FAILOVER = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private WebServer server;
    private BridgeProcesses bridges;
    private Browser host;
    private Browser screen;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (screen != null) {
            screen.close();
        }
        if (bridges != null) {
            bridges.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRoomScreenIsBackOnAnotherBridgeWithinTenSecondsOfItsBridgeDyingAndTheWallSaysWhere() throws Exception {
        // one bridge per session (no cascade): the room and the host on the bridge that is killed
        server = WebServer.start(dir, "--media.bridges=remote", "--bridge.secret=" + SECRET, "--bridge.cascade=false");
        bridges = new BridgeProcesses(server.server.httpPort(), SECRET, dir);
        bridges.start("bridge-a", "", 50);
        bridges.start("bridge-b", "", 50);
        ReceptionApi api = new ReceptionApi(server);
        awaitServer(() -> api.call("GET", "/api/v1/bridges", api.adminToken, null).get("bridges").size() == 2, "both bridges registered");
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        List<String> rooms = api.communes(1);
        long session = api.scheduleNow("Phiên qua cầu nối riêng", rooms);

        host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10);
        host.signIn("chutri", ReceptionApi.password("chutri"));
        host.open("/host/" + session);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                "the host's media flows through a remote bridge");
        screen = new Browser(server.baseUrl(), dir.resolve("screen-profile"), 10);
        screen.driver.get(api.joinLink(session, rooms.get(0)));
        awaitDecoding(screen, "#program-video", PATIENCE);
        screen.js("window.__notReloaded = 'same page';");

        String carrying = bridgeWithEndpoints(api);
        until(host, () -> host.findAll(".tile .bridge").stream().anyMatch(e -> e.getText().contains(carrying)),
                "the host's wall names the bridge the room is on");
        host.js("document.querySelector('.tile .bridge').scrollIntoView({ block: 'center' });");
        host.screenshotForDocs("host-wall-bridge-vi");

        long killed = System.nanoTime();
        bridges.started(carrying).kill();
        long backMillis = awaitDecoding(screen, "#program-video", FAILOVER.plusSeconds(5));
        long sinceKill = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("room screen decodes again %d ms after its bridge was killed (load %s)%n", sinceKill, loadAverage());
        assertThat(sinceKill).as("the room screen decodes again within %s of its bridge dying", FAILOVER).isLessThanOrEqualTo(FAILOVER.toMillis());
        assertThat(screen.js("return window.__notReloaded;")).isEqualTo("same page");
        String other = carrying.equals("bridge-a") ? "bridge-b" : "bridge-a";
        until(host, () -> host.findAll(".tile .bridge").stream().anyMatch(e -> e.getText().contains(other)),
                "the host's wall names the room's new bridge");
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String bridgeWithEndpoints(ReceptionApi api) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (JsonNode b : api.call("GET", "/api/v1/bridges", api.adminToken, null).get("bridges")) {
                if (b.get("endpoints").asInt() >= 2) {
                    return b.get("id").asText();
                }
            }
            LiveMedia.pause(200);
        }
        throw new AssertionError("no bridge reports the session's endpoints");
    }

    private static void awaitServer(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            LiveMedia.pause(200);
        }
        throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
    }
}
