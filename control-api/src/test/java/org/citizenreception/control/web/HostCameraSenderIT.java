package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.until;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fast start: the host console publishes its camera with the degradation preference
 * 'maintain-resolution', so Chromium sends the camera's full size from the first frame instead of
 * judging it by the start bitrate and stepping up for seconds (measured in media-server's
 * HostFastStartIT, whose page mirrors this setting). Here the real console, through a real server
 * and bridge, in Chromium: the setting is on the video sender that goes live.
 */
class HostCameraSenderIT {
    private static final String CLIENT = "document.getElementById('host-preview').mediaClient";

    @TempDir
    static Path dir;
    static WebServer server;
    static ReceptionApi api;
    static Browser host;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        api = new ReceptionApi(server);
        api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10);
        host.signIn("chutri", ReceptionApi.password("chutri"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void the_host_camera_goes_live_keeping_its_resolution() throws Exception {
        long id = api.scheduleNow("Phiên thử khởi động nhanh", api.communes(1));
        host.open("/host/" + id);
        until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
        host.find("#go-live").click();
        until(host, () -> "connected".equals(host.js("const c = " + CLIENT + "; return c ? c.state : null;")),
                "the host's broadcast is connected");

        Object preferences = host.js("return " + CLIENT + ".pc.getSenders().filter((s) => s.track && s.track.kind === 'video')"
                + ".map((s) => s.getParameters().degradationPreference || 'none').join(',');");
        assertThat(preferences).as("the degradation preference of the host's one video sender").isEqualTo("maintain-resolution");
    }
}
