package org.citizenreception.control;

import io.javalin.http.ContentType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.http.HealthController;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.http.TlsCertificates;
import org.citizenreception.control.metrics.MetricsRegistry;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.user.AdminBootstrap;
import org.citizenreception.control.user.PasswordHasher;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of one server process in dependency order and closes
 * them in reverse. Nothing else constructs long-lived services.
 */
public final class ReceptionServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReceptionServer.class);

    private final ReceptionConfig config;
    private final MetricsRegistry.Bound metrics;
    private final Database database;
    private final MediaBridge media;
    private final HttpServer http;
    private final Optional<AdminBootstrap.Created> createdAdministrator;
    private boolean closed;

    private ReceptionServer(ReceptionConfig config, MetricsRegistry.Bound metrics, Database database,
                            MediaBridge media, HttpServer http, Optional<AdminBootstrap.Created> createdAdministrator) {
        this.config = config;
        this.metrics = metrics;
        this.database = database;
        this.media = media;
        this.http = http;
        this.createdAdministrator = createdAdministrator;
    }

    /**
     * Starts everything or nothing: when a later part fails to start, the parts already started are
     * closed before the exception propagates, so a failed start leaves no port bound.
     */
    public static ReceptionServer start(ReceptionConfig config, String adminPasswordFromEnv, Clock clock) throws SQLException {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MetricsRegistry.Bound metrics = MetricsRegistry.create();
            started.add(metrics);
            Database database = Database.open(config.databaseFile());
            started.add(database);
            Optional<AdminBootstrap.Created> admin = new AdminBootstrap(database, new PasswordHasher())
                    .ensureAdministrator(adminPasswordFromEnv);
            MediaBridge media = MediaBridge.start(new MediaBridgeConfig(config.mediaBindHost(), config.mediaPort(),
                    config.mediaAdvertisedAddresses()), metrics.registry());
            started.add(media);

            HealthController health = new HealthController(clock, version());
            List<RouteModule> modules = List.of(routes -> {
                routes.get("/health", health::health);
                routes.get("/metrics", ctx -> ctx.contentType(ContentType.PLAIN).result(metrics.registry().scrape()));
            });
            Optional<HttpServer.Tls> tls = config.httpsEnabled() ? Optional.of(new HttpServer.Tls(config.httpsPort(),
                    config.httpsCertificateFile().isPresent()
                            ? TlsCertificates.fromPemFiles(config.httpsCertificateFile().get(), config.httpsPrivateKeyFile().get())
                            : TlsCertificates.selfSigned(config.dataDir().resolve("tls"))))
                    : Optional.empty();
            HttpServer http = HttpServer.start(config.httpHost(), config.httpPort(), config.maxRequestBytes(), tls, modules);
            return new ReceptionServer(config, metrics, database, media, http, admin);
        } catch (RuntimeException | SQLException e) {
            closeAll(started);
            throw e;
        }
    }

    static String version() {
        String v = ReceptionServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public int httpPort() {
        return http.port();
    }

    public Optional<Integer> httpsPort() {
        return http.httpsPort();
    }

    public int mediaPort() {
        return media.localAddress().getPort();
    }

    public Path databaseFile() {
        return database.file();
    }

    public ReceptionConfig config() {
        return config;
    }

    /** Present only on the start that created the first administrator. */
    public Optional<AdminBootstrap.Created> createdAdministrator() {
        return createdAdministrator;
    }

    /** Stop accepting requests, close media endpoints, flush and close the database, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(List.of(metrics, database, media, http));
        log.info("server stopped");
    }

    /** Closes in reverse order of the list, continuing past failures so every part gets its close. */
    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed", parts.get(i).getClass().getSimpleName(), e);
            }
        }
    }
}
