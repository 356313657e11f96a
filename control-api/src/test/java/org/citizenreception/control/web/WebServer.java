package org.citizenreception.control.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.citizenreception.control.ReceptionServer;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.testing.TestServer;
import org.citizenreception.control.testing.TestStore;

/**
 * The real server for browser tests: the wall clock (a browser compares nothing with a moved test
 * clock), an empty config file, free ports, its own data folder, and the current directory of 55 rooms (rooms-2025.csv;
 * the 2024 units ended on 30 June 2025).
 */
final class WebServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-for-web-tests";

    final ReceptionServer server;

    private WebServer(ReceptionServer server) {
        this.server = server;
    }

    static WebServer start(Path dir) throws Exception {
        return start(dir, java.util.List.of());
    }

    static WebServer start(Path dir, String... extraArgs) throws Exception {
        return start(dir, java.util.List.of(extraArgs));
    }

    /** @param extraArgs further settings, after (and so over) the store the run uses, e.g. another {@code --store.url} */
    static WebServer start(Path dir, java.util.List<String> extraArgs) throws Exception {
        Path config = Files.writeString(dir.resolve("empty.conf"), "");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--config=" + config, "--http.host=127.0.0.1",
                // ICE-TCP off, as in TestServer: these tests fake line faults on UDP alone
                "--http.port=0", "--media.port=0", "--media.tcp-port=0", "--media.bind-host=127.0.0.1",
                "--media.advertised-addresses=127.0.0.1",
                "--data.dir=" + dir.resolve("data"), "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"),
                "--holidays.file=" + TestServer.configFile("holidays-vn.csv")));
        args.addAll(TestServer.TESTS_FROM_ONE_ADDRESS);
        args.addAll(TestStore.serverArguments(dir.resolve("data")));
        args.addAll(extraArgs);
        ReceptionConfig cfg = ReceptionConfig.load(args.toArray(String[]::new), Map.of());
        return new WebServer(ReceptionServer.start(cfg, ADMIN_PASSWORD, Clock.systemUTC()));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort() + "/";
    }

    @Override
    public void close() {
        server.close();
    }
}
