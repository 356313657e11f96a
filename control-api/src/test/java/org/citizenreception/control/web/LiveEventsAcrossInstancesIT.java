package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.citizenreception.control.events.relay.PostgresEventRelay;
import org.citizenreception.control.testing.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-api instances behind one PostgreSQL (whatever store the rest of the run uses), a
 * secretary's console in Chromium on the second: a petition the host registers through the first
 * appears in her register at once; one registered while the second instance's link to the database
 * is down is lost to LISTEN, and appears anyway once the link is back, because the console loads
 * the register again when the server says to resync.
 */
class LiveEventsAcrossInstancesIT {
    /** The listener reconnects with backoff up to 10 s, then the console loads the register again: generous on a loaded machine. */
    static final Duration AFTER_RECONNECT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static String database;
    static WebServer first;
    static WebServer second;
    static Browser browser;
    static WebFixture onFirst;
    static long sessionId;
    static String hostToken;

    @BeforeAll
    static void start() throws Exception {
        database = PostgresCluster.get().database("t_web_two_instances");
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b/data/keys"));
        first = WebServer.start(dir.resolve("a"), List.of("--store.url=" + database));
        // Shared keys: both instances sign one audit chain and hash ID numbers alike.
        try (Stream<Path> keys = Files.list(dir.resolve("a/data/keys"))) {
            for (Path key : keys.toList()) {
                Files.copy(key, dir.resolve("b/data/keys").resolve(key.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        second = WebServer.start(dir.resolve("b"), List.of("--store.url=" + database));
        onFirst = new WebFixture(first);
        onFirst.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        onFirst.createUser("thuky", "Thư ký Lan", "SECRETARY");
        sessionId = onFirst.liveSession("Tiếp công dân trên hai máy chủ", "chutri");
        hostToken = onFirst.login("chutri", WebFixture.passwordOf("chutri"));
        browser = new Browser(second.baseUrl(), dir.resolve("chrome-profile"));
    }

    @AfterAll
    static void stop() throws SQLException {
        allowConnections(true);
        if (browser != null) {
            browser.close();
        }
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aPetitionRegisteredOnOneInstanceAppearsInTheRegisterOnTheOtherAlsoAfterItsListenerWasCutOff() throws Exception {
        browser.open("/signin");
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        browser.waitFor("#live-state.connected");

        String live = "Khiếu nại việc thu hồi đất làm đường tỉnh 342 chưa bồi thường đủ.";
        register(live, "Nguyễn Văn An");
        browser.waitForText("#register .petition:first-child .summary", live);

        // The second instance loses its listening connection and cannot get it back for a while.
        allowConnections(false);
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().url("postgres"));
             Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName()
                    + "' AND application_name LIKE '" + PostgresEventRelay.LISTEN_APPLICATION + "%'");
        }
        String missed = "Phản ánh đèn đường khu 2 hỏng đã ba tháng.";
        register(missed, "Lê Văn Cường");
        assertThat(browser.findAll("#register .petition")).as("nobody listens on the second instance: the event is lost to it")
                .hasSize(1);

        allowConnections(true);
        awaitText("#register .petition:first-child .summary", missed, AFTER_RECONNECT);
        assertThat(browser.findAll("#register .petition")).hasSize(2);
        assertThat(browser.find("#live-state").getAttribute("class")).as("the socket itself never dropped").contains("connected");
    }

    private static void register(String summary, String name) throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "REFLECTION");
        p.put("originRoomCode", onFirst.rooms.get(0));
        p.put("summary", summary);
        p.put("petitioners", List.of(Map.of("name", name, "address", "Khu 2, phường Bãi Cháy")));
        onFirst.call("POST", "/api/v1/sessions/" + sessionId + "/petitions", hostToken, p);
    }

    /** Whether anyone may open a new connection to the test database (those open stay open). */
    private static void allowConnections(boolean allowed) throws SQLException {
        if (database == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().url("postgres")); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS " + allowed);
        }
    }

    private static String databaseName() {
        return database.substring(database.lastIndexOf('/') + 1, database.indexOf('?'));
    }

    /** Waits for {@code text} in {@code css} up to {@code within}, in the browser's own waits of 15 s. */
    private static void awaitText(String css, String text, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                browser.waitForText(css, text);
                return;
            } catch (org.openqa.selenium.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(css + " did not show \"" + text + "\" within " + within.toSeconds() + " s", e);
                }
            }
        }
    }
}
