package org.citizenreception.control;

import io.javalin.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.audit.AuditCheckpointSchedule;
import org.citizenreception.control.audit.AuditCheckpoints;
import org.citizenreception.control.audit.AuditController;
import org.citizenreception.control.audit.AuditKey;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.backup.BackupSchedule;
import org.citizenreception.control.config.BackupSettings;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.identity.TokenResolver;
import org.citizenreception.control.http.OpenApiController;
import org.citizenreception.control.room.RoomController;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.user.AuthController;
import org.citizenreception.control.user.AuthService;
import org.citizenreception.control.user.LoginThrottle;
import org.citizenreception.control.identity.Revocations;
import org.citizenreception.control.user.UserController;
import org.citizenreception.control.user.UserService;
import org.citizenreception.control.http.HealthController;
import org.citizenreception.control.http.HttpServer;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.http.TlsCertificates;
import org.citizenreception.control.media.LayerPinController;
import org.citizenreception.control.bridge.BridgeController;
import org.citizenreception.control.bridge.BridgeLiveness;
import org.citizenreception.control.bridge.BridgeRegistry;
import org.citizenreception.control.bridge.BridgeToken;
import org.citizenreception.control.bridge.RemoteConferenceBridges;
import org.citizenreception.control.media.ConferenceBridge;
import org.citizenreception.control.media.EmbeddedConferenceBridge;
import org.citizenreception.control.media.SessionMedia;
import org.citizenreception.control.media.StageController;
import org.citizenreception.control.media.WhipWhepController;
import org.citizenreception.control.message.RoomMessageController;
import org.citizenreception.control.message.RoomMessageLimits;
import org.citizenreception.control.message.RoomMessageRoutes;
import org.citizenreception.control.message.RoomMessageService;
import org.citizenreception.control.metrics.MetricsRegistry;
import org.citizenreception.control.report.ReportController;
import org.citizenreception.control.report.ReportService;
import org.citizenreception.control.session.LeaderController;
import org.citizenreception.control.session.LeaderService;
import org.citizenreception.control.session.SessionState;
import org.citizenreception.control.recording.FfmpegTool;
import org.citizenreception.control.recording.RecordingArchive;
import org.citizenreception.control.recording.RecordingController;
import org.citizenreception.control.recording.RecordingRoutes;
import org.citizenreception.control.recording.RecordingService;
import org.citizenreception.control.recording.SessionRecordService;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.store.Dialect;
import org.citizenreception.control.store.OwnerOnlyFiles;
import org.citizenreception.control.store.Transactions;
import org.citizenreception.control.user.AdminBootstrap;
import org.citizenreception.control.user.PasswordHasher;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.control.limits.LimitRefusals;
import org.citizenreception.control.media.MediaPostLimits;
import org.citizenreception.control.user.PasswordCheckGate;
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
    /** The embedded bridge; null when conferences run on remote bridges. */
    private final MediaBridge media;
    /** What runs the conferences: the embedded bridge, or the remote bridges' liveness checker. */
    private final AutoCloseable mediaRuntime;
    private final Optional<BridgeRegistry> bridges;
    private final SessionMedia sessionMedia;
    private final RecordingService recording;
    private final HttpServer http;
    private final Optional<AdminBootstrap.Created> createdAdministrator;
    private final Services services;
    private final AuditCheckpointSchedule checkpoints;
    private final ServerHeartbeat heartbeat;
    private final BackupSchedule backups;
    private boolean closed;

    private ReceptionServer(ReceptionConfig config, MetricsRegistry.Bound metrics, Database database,
                            MediaBridge media, AutoCloseable mediaRuntime, Optional<BridgeRegistry> bridges,
                            SessionMedia sessionMedia, RecordingService recording, HttpServer http,
                            Optional<AdminBootstrap.Created> createdAdministrator, Services services, AuditCheckpointSchedule checkpoints,
                            ServerHeartbeat heartbeat, BackupSchedule backups) {
        this.config = config;
        this.metrics = metrics;
        this.database = database;
        this.media = media;
        this.mediaRuntime = mediaRuntime;
        this.bridges = bridges;
        this.sessionMedia = sessionMedia;
        this.recording = recording;
        this.http = http;
        this.createdAdministrator = createdAdministrator;
        this.services = services;
        this.checkpoints = checkpoints;
        this.heartbeat = heartbeat;
        this.backups = backups;
    }

    /**
     * Starts everything or nothing: when a later part fails to start, the parts already started are
     * closed before the exception propagates, so a failed start leaves no port bound.
     */
    public static ReceptionServer start(ReceptionConfig config, String adminPasswordFromEnv, Clock clock) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MetricsRegistry.Bound metrics = MetricsRegistry.create();
            started.add(metrics);
            OwnerOnlyFiles.folder(config.dataDir());
            Database database = Database.open(config.store(), metrics.registry());
            started.add(database);

            AuditKey auditKey = AuditKey.load(config.audit().key(), config.audit().keyFile());
            AuditLog audit = new AuditLog(database, clock, auditKey,
                    new AuditCheckpoints(config.audit().checkpointFile(), config.audit().syslog(), auditKey, clock));
            AuditCheckpointSchedule checkpoints = new AuditCheckpointSchedule(audit, config.audit().checkpointEvery());
            started.add(checkpoints);
            RoomDirectory rooms = new RoomDirectory(database, audit, clock);
            importRoomsAtFirstStart(rooms, config.roomsDirectory());
            LimitRefusals refusals = new LimitRefusals(metrics.registry());
            PasswordHasher hasher = new PasswordHasher();
            Optional<AdminBootstrap.Created> admin = new AdminBootstrap(database, hasher)
                    .ensureAdministrator(adminPasswordFromEnv);
            Revocations revocations = new Revocations();
            AuthService auth = new AuthService(database, hasher, audit, new LoginThrottle(clock), clock,
                    config.tokenLifetime(), revocations,
                    new PasswordCheckGate(config.limits().concurrentPasswordChecks(), refusals), refusals);
            UserService users = new UserService(database, hasher, audit, rooms, clock, revocations);

            Optional<BridgeToken> bridgeTokens = config.bridge().secret().length() >= BridgeToken.MIN_SECRET_CHARS
                    ? Optional.of(new BridgeToken(config.bridge().secret())) : Optional.empty();
            MediaBridge media = null;
            Optional<BridgeRegistry> bridges = Optional.empty();
            Optional<RemoteConferenceBridges> remote = Optional.empty();
            ConferenceBridge conferences;
            AutoCloseable mediaRuntime;
            // Heartbeats and tokens cross processes: they are timed by the wall clock, not the domain's clock.
            Clock wallClock = Clock.systemUTC();
            if (config.bridge().remote()) {
                BridgeRegistry registry = new BridgeRegistry(wallClock, config.bridge().deadAfter());
                remote = Optional.of(new RemoteConferenceBridges(registry, bridgeTokens.orElseThrow(), wallClock,
                        config.bridge().cascade()));
                bridges = Optional.of(registry);
                conferences = remote.get();
                mediaRuntime = BridgeLiveness.start(registry);
            } else {
                media = MediaBridge.start(new MediaBridgeConfig(config.mediaBindHost(), config.mediaPort(),
                        config.mediaAdvertisedAddresses()).withTcpPort(config.mediaTcpPort().orElse(MediaBridgeConfig.TCP_OFF))
                        .withInterruptAfter(config.mediaInterruptAfter())
                        .withRetransmissionLimits(config.limits().retransmissions()), metrics.registry());
                conferences = new EmbeddedConferenceBridge(media);
                mediaRuntime = media;
            }
            started.add(mediaRuntime);

            ReceptionDomain domain = ReceptionDomain.create(config, database, audit, rooms, metrics.registry(), clock, revocations);
            started.add(domain);
            domain.sessions().addListener((c, before, after) -> {
                if (after == SessionState.ENDED) {
                    Transactions.afterCommit(checkpoints::checkpointSoon);
                }
            });
            List<TokenResolver> tokenResolvers = List.of(auth, domain.joinTokenResolver());
            SessionMedia sessionMedia = new SessionMedia(conferences, rooms::pathToRoot, domain.attendance(),
                    domain.sessions(), domain.events(), clock, refusals);
            started.add(sessionMedia);
            domain.floor().addListener(sessionMedia);
            revocations.addListener(sessionMedia::revoke);
            RecordingService recording = new RecordingService(config.recording(), FfmpegTool.probe(config.recording().ffmpeg()),
                    conferences, new RecordingArchive(database, audit, config.recording().directory(),
                            java.time.Duration.ofDays(config.recording().retentionDays()), clock), rooms, domain.events(), clock);
            started.add(recording);
            domain.sessions().addListener(recording);
            SessionRecordService records = new SessionRecordService(domain.sessions(), domain.attendanceReports(), domain.petitions(),
                    audit, rooms, recording.archive());
            domain.sessions().addListener(records);
            recording.setRecordFiler(records::file);
            // Before the first request: nobody may see (or act on) a session the crash left LIVE.
            ServerHeartbeat heartbeat = new ServerHeartbeat(config.dataDir(), clock);
            domain.interruptSessionsLeftLive(heartbeat.previousBeat(), "the server process stopped while the session was live");
            heartbeat.start();
            started.add(heartbeat);
            // The daily backup is SQLite's online backup of the file; a PostgreSQL store is backed up
            // with pg_dump (README), so it gets no daily run here.
            BackupSettings backupSettings = database.dialect() == Dialect.SQLITE ? config.backup()
                    : new BackupSettings(config.backup().directory(), Optional.empty(), config.backup().keep());
            BackupSchedule backups = new BackupSchedule(backupSettings, config.databaseFile(), config.audit(), config.caseHistoryKeyFile(), clock,
                    metrics.registry());
            started.add(backups);

            HealthController health = new HealthController(clock, version(), recording::health);
            ApiRoutes api = new ApiRoutes(tokenResolvers, OpenApiController.load(), new AuthController(auth),
                    new UserController(users), new RoomController(rooms), new AuditController(audit));
            List<RouteModule> modules = List.of(routes -> {
                routes.get("/health", health::health);
                routes.get("/metrics", ctx -> ctx.contentType(ContentType.PLAIN).result(metrics.registry().scrape()));
            }, api, new AccessFilter(domain.sessions(), domain.joinTokens(), audit, bridgeTokens, wallClock),
                    new BridgeController(bridges, remote, audit),
                    domain.routes(token -> Authentication.resolve(tokenResolvers, token)),
                    new WhipWhepController(sessionMedia, domain.sessions(), domain.joinTokens(), config.mediaIceServers(),
                            config.mediaTurnSecret(), clock, audit, new MediaPostLimits(config.limits().mediaPostsPerMinutePerAddress(),
                                    config.limits().mediaPostsPerMinutePerSession(), clock, refusals)),
                    new StageController(sessionMedia, domain.sessions(), domain.joinTokens(), audit),
                    new LayerPinController(sessionMedia, domain.sessions(), domain.joinTokens(), audit),
                    new RecordingRoutes(new RecordingController(recording, domain.sessions(), records)),
                    new RoomMessageRoutes(new RoomMessageController(new RoomMessageService(database, audit, domain.sessions(),
                            domain.petitions(), domain.events(), clock, new RoomMessageLimits(config.limits().roomMessagesPerMinute(),
                            config.limits().roomMessageBurst(), clock, refusals)), domain.joinTokens())),
                    new LeaderController(new LeaderService(database, audit, clock)),
                    new ReportController(new ReportService(database, rooms, domain.sessions().access(), clock)));
            Optional<HttpServer.Tls> tls = config.httpsEnabled() ? Optional.of(new HttpServer.Tls(config.httpsPort(),
                    config.httpsCertificateFile().isPresent()
                            ? TlsCertificates.fromPemFiles(config.httpsCertificateFile().get(), config.httpsPrivateKeyFile().get())
                            : TlsCertificates.selfSigned(config.dataDir().resolve("tls"))))
                    : Optional.empty();
            HttpServer http = HttpServer.start(config.httpHost(), config.httpPort(), config.maxRequestBytes(), tls, modules,
                    metrics.registry(), new HttpServer.ConnectionLimits(config.limits().httpIdleTimeout(),
                            config.limits().httpMinRequestBytesPerSecond(), config.limits().httpMaxConnections(), refusals));
            return new ReceptionServer(config, metrics, database, media, mediaRuntime, bridges, sessionMedia, recording, http, admin,
                    new Services(audit, rooms, auth, users, domain), checkpoints, heartbeat, backups);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /**
     * The first start loads the configured directory; later starts keep what admins maintain. A
     * missing file is a warning (rooms can be imported later), an invalid one stops the start.
     */
    private static void importRoomsAtFirstStart(RoomDirectory rooms, Path file) {
        if (!rooms.isEmpty()) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            log.warn("room directory {} not found; no rooms loaded (import one with POST /api/v1/rooms/import)", file);
            return;
        }
        try {
            RoomDirectory.ImportResult result = rooms.importCsv(Files.readString(file, StandardCharsets.UTF_8), null, null);
            log.info("room directory {} imported: {} rooms", file, result.rows());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the room directory " + file, e);
        } catch (DomainException e) {
            throw new IllegalStateException("room directory " + file + " is invalid: " + e.getMessage(), e);
        }
    }

    /** The long-lived services, for tests and for wiring further areas. */
    public record Services(AuditLog audit, RoomDirectory rooms, AuthService auth, UserService users, ReceptionDomain domain) {
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

    /** The embedded bridge's UDP port; 0 when conferences run on remote bridges. */
    public int mediaPort() {
        return media == null ? 0 : media.localAddress().getPort();
    }

    /** The embedded bridge, for tests that need to see its endpoints (their remote addresses). */
    public MediaBridge mediaBridge() {
        if (media == null) {
            throw new IllegalStateException("media runs on remote bridges (media.bridges = remote)");
        }
        return media;
    }

    /** The registered media bridges; empty when media runs embedded. */
    public Optional<BridgeRegistry> bridges() {
        return bridges;
    }

    public Path databaseFile() {
        return database.file();
    }

    public Database database() {
        return database;
    }

    /** Recording and the archive, for tests. */
    public RecordingService recording() {
        return recording;
    }

    /** The daily backup, for tests and an operator's "now". */
    public BackupSchedule backups() {
        return backups;
    }

    public Services services() {
        return services;
    }

    /** Every HTTP route registered (method and path template). */
    public List<HttpServer.Route> routes() {
        return http.routes();
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
        // Media closes before the adapter drains its queue of disconnects into the still-open database.
        // The last checkpoint is written after the domain stopped writing and before the database closes;
        // recordings stop (and are sealed) while the bridge and the database are still up.
        closeAll(List.of(metrics, database, heartbeat, backups, checkpoints, services.domain(), sessionMedia, mediaRuntime, recording, http));
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
