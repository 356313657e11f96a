package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.control.web.LiveMedia.awaitDecoding;
import static org.citizenreception.control.web.LiveMedia.smallCameraPicture;
import static org.citizenreception.control.web.LiveMedia.until;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

/**
 * A room opens its TV page a second time (another screen, a reload in a new tab): the server keeps
 * one endpoint per room, the newest. The first page says it was opened elsewhere and stops for
 * good; it does not post again to win the session back, so the two pages never take turns.
 */
class RoomOpenedElsewhereIT {
    @TempDir
    Path dir;

    @Test
    void theFirstPageOfARoomSaysItWasOpenedElsewhereAndStopsWhileTheNewOnePlays() throws Exception {
        try (WebServer server = WebServer.start(dir)) {
            ReceptionApi api = new ReceptionApi(server);
            api.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
            List<String> invited = api.communes(2);
            long id = api.scheduleNow("Phiên thử mở hai màn hình", invited);
            Browser host = new Browser(server.baseUrl(), dir.resolve("host-profile"), 10);
            Browser rooms = new Browser(server.baseUrl(), dir.resolve("room-profile"), 10, smallCameraPicture(dir.resolve("camera.y4m")));
            try {
                host.signIn("chutri", ReceptionApi.password("chutri"));
                host.open("/host/" + id);
                until(host, () -> !host.findAll("#cam-select option").isEmpty(), "the host's camera is listed");
                host.find("#go-live").click();
                until(host, () -> "true".equals(host.js("const b = document.getElementById('host-session-state'); return b && b.dataset.flowing;")),
                        "the host's media flows");

                String link = api.joinLink(id, invited.get(0));
                rooms.driver.get(link);
                String firstTab = rooms.driver.getWindowHandle();
                until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the first page plays");
                awaitDecoding(rooms, "#program-video", LiveMedia.PATIENCE);

                rooms.driver.switchTo().newWindow(WindowType.TAB);
                String secondTab = rooms.driver.getWindowHandle();
                rooms.driver.get(link);
                until(rooms, () -> !rooms.findAll("#room-state[data-state='connected']").isEmpty(), "the second page plays");
                String secondResource = (String) rooms.js("return document.getElementById('program').mediaClient.resource;");

                rooms.driver.switchTo().window(firstTab);
                until(rooms, () -> !rooms.findAll("#room-state[data-state='replaced']").isEmpty(), "the first page says opened elsewhere");
                assertThat(rooms.find("#room-state").getText()).isEqualTo("Đã mở trên màn hình khác");
                assertThat(rooms.js("return document.getElementById('program').mediaClient.stopped;"))
                        .as("the first page's client stopped: no retry is scheduled").isEqualTo(true);

                rooms.driver.switchTo().window(secondTab);
                awaitDecoding(rooms, "#program-video", LiveMedia.PATIENCE);
                assertThat(rooms.js("return document.getElementById('program').mediaClient.resource;"))
                        .as("the second page kept its endpoint").isEqualTo(secondResource);
                assertThat(rooms.findAll("#room-state[data-state='connected']")).isNotEmpty();
                assertThat(metric(server, "endpoint-replaced"))
                        .as("endpoints replaced: the second page's took the first's, and nothing since").isEqualTo(1.0);
            } finally {
                rooms.close();
                host.close();
            }
        }
    }

    private static double metric(WebServer server, String limit) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.baseUrl().replaceAll("/$", "") + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith("reception_limit_refusals_total{") && l.contains("\"" + limit + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no refusals counter for " + limit));
    }
}
