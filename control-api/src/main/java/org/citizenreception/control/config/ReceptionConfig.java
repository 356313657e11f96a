package org.citizenreception.control.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.citizenreception.control.store.StoreSettings;
import org.citizenreception.media.ice.HostAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated, typed configuration of one server process. Built once at start; a bad value stops
 * the start with a {@link ConfigProblem} naming the key.
 */
public record ReceptionConfig(
        String httpHost,
        int httpPort,
        long maxRequestBytes,
        boolean httpsEnabled,
        int httpsPort,
        Optional<Path> httpsCertificateFile,
        Optional<Path> httpsPrivateKeyFile,
        String mediaBindHost,
        int mediaPort,
        java.util.OptionalInt mediaTcpPort,
        List<String> mediaAdvertisedAddresses,
        Optional<String> mediaPublicAddress,
        Duration mediaInterruptAfter,
        List<IceServer> mediaIceServers,
        Optional<TurnRestSecret> mediaTurnSecret,
        Path dataDir,
        Path databaseFile,
        StoreSettings store,
        Path roomsDirectory,
        int shutdownTimeoutSeconds,
        Duration tokenLifetime,
        Path holidaysFile,
        int joinTokenGraceMinutes,
        int attendanceLateAfterMinutes,
        int attendanceLeftEarlyMinutes,
        AuditSettings audit,
        RecordingSettings recording,
        BackupSettings backup,
        LimitSettings limits,
        BridgeSettings bridge) {
    private static final Logger log = LoggerFactory.getLogger(ReceptionConfig.class);

    /** The key of the ID-number hashes of the case history (made on first start, 0600; part of every backup). */
    public Path caseHistoryKeyFile() {
        return dataDir.resolve("keys").resolve("case-history.key");
    }


    public static ReceptionConfig load(String[] args, Map<String, String> env) {
        return from(ConfigSources.load(args, env));
    }

    public static ReceptionConfig from(Config c) {
        Path dataDir = Path.of(nonBlank(c, "data.dir"));
        String dbFile = string(c, "data.database-file");
        Optional<Path> cert = optionalPath(c, "https.certificate-file");
        Optional<Path> key = optionalPath(c, "https.private-key-file");
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigProblem("https.certificate-file and https.private-key-file must be set together (or both left empty for a self-signed certificate)");
        }
        Optional<String> publicAddress = Optional.of(string(c, "media.public-address")).filter(s -> !s.isBlank());
        publicAddress.ifPresent(a -> requireAddress("media.public-address", a));
        List<String> advertised = c.getStringList("media.advertised-addresses");
        advertised.forEach(a -> requireAddress("media.advertised-addresses", a));
        int httpPort = port(c, "http.port", 0);
        int httpsPort = port(c, "https.port", 0);
        boolean httpsEnabled = bool(c, "https.enabled");
        if (httpsEnabled && httpPort != 0 && httpPort == httpsPort) {
            throw new ConfigProblem("https.port", httpsPort, "a port different from http.port");
        }
        return new ReceptionConfig(
                nonBlank(c, "http.host"),
                httpPort,
                positiveLong(c, "http.max-request-bytes"),
                httpsEnabled,
                httpsPort,
                cert,
                key,
                nonBlank(c, "media.bind-host"),
                port(c, "media.port", 0),
                tcpPort(c, port(c, "media.port", 0)),
                resolveAdvertised(advertised, publicAddress),
                publicAddress,
                Duration.ofSeconds(positiveLong(c, "media.interrupt-after-seconds")),
                iceServers(c),
                Optional.of(string(c, "media.turn-secret")).filter(v -> !v.isBlank())
                        .map(v -> new TurnRestSecret(v, Duration.ofMinutes(positiveLong(c, "media.turn-credential-lifetime-minutes")))),
                dataDir,
                dbFile.isBlank() ? dataDir.resolve("reception.db") : Path.of(dbFile),
                store(c, dbFile.isBlank() ? dataDir.resolve("reception.db") : Path.of(dbFile)),
                Path.of(nonBlank(c, "rooms.directory")),
                (int) positiveLong(c, "shutdown.timeout-seconds"),
                Duration.ofMinutes(positiveLong(c, "auth.token-lifetime-minutes")),
                Path.of(nonBlank(c, "holidays.file")),
                (int) positiveLong(c, "sessions.join-token-grace-minutes"),
                (int) positiveLong(c, "attendance.late-after-minutes"),
                (int) positiveLong(c, "attendance.left-early-minutes"),
                audit(c, dataDir),
                new RecordingSettings(recordingDir(c, dataDir), nonBlank(c, "recording.ffmpeg"),
                        nonNegativeLong(c, "recording.min-free-mb"), (int) positiveLong(c, "recording.retention-days"),
                        Duration.ofSeconds(positiveLong(c, "recording.stall-seconds"))),
                backup(c, dataDir),
                LimitSettings.from(c),
                BridgeSettings.from(c));
    }

    private static StoreSettings store(Config c, Path sqliteFile) {
        String url = string(c, "store.url").trim();
        if (url.isEmpty()) {
            return StoreSettings.sqlite(sqliteFile);
        }
        if (!url.startsWith(StoreSettings.POSTGRESQL_URL_PREFIX)) {
            // Not echoed: a JDBC URL may carry a password.
            throw new ConfigProblem("store.url must be empty (SQLite) or a PostgreSQL JDBC URL, jdbc:postgresql://host:5432/database");
        }
        return StoreSettings.postgresql(url, string(c, "store.user"), string(c, "store.password"));
    }

    /** Empty directory: {@code <data.dir>/backups}; empty time: no daily backup. */
    private static BackupSettings backup(Config c, Path dataDir) {
        String dir = string(c, "backup.directory");
        String at = string(c, "backup.daily-at").strip();
        Optional<java.time.LocalTime> dailyAt;
        try {
            dailyAt = at.isEmpty() ? Optional.empty() : Optional.of(java.time.LocalTime.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigProblem("backup.daily-at", at, "a time of day like 02:30, or empty for no daily backup");
        }
        return new BackupSettings(dir.isBlank() ? dataDir.resolve("backups") : Path.of(dir), dailyAt,
                (int) positiveLong(c, "backup.keep"));
    }

    /** Empty: {@code <data.dir>/recordings}; relative paths are read from the working folder like every path. */
    private static Path recordingDir(Config c, Path dataDir) {
        String dir = string(c, "recording.directory");
        return dir.isBlank() ? dataDir.resolve("recordings") : Path.of(dir);
    }

    private static long nonNegativeLong(Config c, String key) {
        long value;
        try {
            value = c.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), "a whole number");
        }
        if (value < 0) {
            throw new ConfigProblem(key, value, "zero or more");
        }
        return value;
    }

    private static AuditSettings audit(Config c, Path dataDir) {
        Optional<String> key = Optional.of(string(c, "audit.key")).filter(s -> !s.isBlank());
        key.ifPresent(k -> {
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(k.strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigProblem("configuration key 'audit.key' is not base64 (value not shown)");
            }
            if (bytes.length < 32) {
                throw new ConfigProblem("configuration key 'audit.key' holds " + bytes.length
                        + " bytes (value not shown): expected base64 of at least 32 random bytes");
            }
        });
        String syslog = string(c, "audit.syslog");
        Optional<java.net.InetSocketAddress> syslogAddress = Optional.empty();
        if (!syslog.isBlank()) {
            int colon = syslog.lastIndexOf(':');
            String host = colon > 0 ? syslog.substring(0, colon).replace("[", "").replace("]", "") : "";
            String port = colon > 0 ? syslog.substring(colon + 1) : "";
            if (host.isBlank() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new ConfigProblem("audit.syslog", syslog, "host:port of a syslog collector (UDP), e.g. 10.0.0.5:514");
            }
            syslogAddress = Optional.of(new java.net.InetSocketAddress(host, Integer.parseInt(port)));
        }
        return new AuditSettings(key,
                optionalPath(c, "audit.key-file").orElse(dataDir.resolve("keys").resolve("audit.key")),
                optionalPath(c, "audit.checkpoint-file").orElse(dataDir.resolve("audit-checkpoints.jsonl")),
                Duration.ofSeconds(positiveLong(c, "audit.checkpoint-interval-seconds")),
                syslogAddress);
    }

    /**
     * The public address goes first (browsers outside try it first), then the configured host
     * addresses, or those {@link HostAddresses} picks on this machine (its Javadoc says which); what
     * it skipped is logged once here, with the reason, so an operator sees why an address is missing.
     */
    static List<String> resolveAdvertised(List<String> configured, Optional<String> publicAddress) {
        LinkedHashSet<String> addresses = new LinkedHashSet<>();
        publicAddress.ifPresent(addresses::add);
        if (!configured.isEmpty()) {
            addresses.addAll(configured);
        } else {
            HostAddresses.Selection selection = HostAddresses.select(HostAddresses.ofThisMachine());
            if (!selection.skipped().isEmpty()) {
                log.info("media: not advertising {}", selection.skipped().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")));
            }
            addresses.addAll(selection.advertised());
        }
        return List.copyOf(addresses);
    }

    private static List<IceServer> iceServers(Config c) {
        String username = string(c, "media.turn-username");
        String credential = string(c, "media.turn-credential");
        boolean secretSet = !string(c, "media.turn-secret").isBlank();
        return c.getStringList("media.ice-servers").stream().map(url -> IceServer.parse(url, username, credential, secretSet)).toList();
    }

    private static void requireAddress(String key, String value) {
        boolean literal = value.matches("[0-9.]+") || value.contains(":");
        if (!literal) {
            throw new ConfigProblem(key, value, "an IPv4 or IPv6 address literal");
        }
        try {
            InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new ConfigProblem(key, value, "an IPv4 or IPv6 address literal");
        }
        if (value.matches("[0-9.]+") && !value.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            throw new ConfigProblem(key, value, "an IPv4 or IPv6 address literal");
        }
    }

    /**
     * {@code media.tcp-port}: empty for the same number as {@code media.port} (a free one when that
     * is 0, as in tests), 0 for no ICE-TCP (empty), else the port.
     */
    private static java.util.OptionalInt tcpPort(Config c, int mediaPort) {
        String value = string(c, "media.tcp-port").strip();
        if (value.isEmpty()) {
            return java.util.OptionalInt.of(mediaPort);
        }
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigProblem("media.tcp-port", value, "a port number 1..65535, 0 for no ICE-TCP, or empty for media.port's");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigProblem("media.tcp-port", value, "a port number 1..65535, 0 for no ICE-TCP, or empty for media.port's");
        }
        return port == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    private static int port(Config c, String key, int min) {
        long value = number(c, key, "a port number " + min + "..65535");
        if (value < min || value > 65535) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), "a port number " + min + "..65535");
        }
        return (int) value;
    }

    private static long positiveLong(Config c, String key) {
        long value = number(c, key, "a positive whole number");
        if (value <= 0) {
            throw new ConfigProblem(key, value, "a positive whole number");
        }
        return value;
    }

    private static long number(Config c, String key, String expected) {
        try {
            return c.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), expected);
        }
    }

    private static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), "true or false");
        }
    }

    private static String string(Config c, String key) {
        try {
            return c.getString(key);
        } catch (ConfigException.WrongType e) {
            throw new ConfigProblem(key, c.getValue(key).unwrapped(), "a string");
        }
    }

    private static String nonBlank(Config c, String key) {
        String value = string(c, key);
        if (value.isBlank()) {
            throw new ConfigProblem(key, value, "a non-empty value");
        }
        return value;
    }

    private static Optional<Path> optionalPath(Config c, String key) {
        return Optional.of(string(c, key)).filter(s -> !s.isBlank()).map(Path::of);
    }
}
