package org.citizenreception.control;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.citizenreception.control.config.ConfigProblem;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.user.AdminBootstrap;
import sun.misc.Signal;

/**
 * The process entry point: {@code java -jar reception-control-api.jar [--key=value ...]}, or
 * {@code ... backup [folder] [--key=value ...]} / {@code ... restore <backup folder> [--key=value ...]}
 * (see {@link BackupCommand}).
 *
 * <p>SIGTERM and SIGINT are handled here rather than by a shutdown hook alone because the JVM exits
 * 143/130 after hooks; an orderly stop on a signal is a success and must exit 0.
 */
public final class Main {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_START_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        useOperatorLogbackFile();
        if (args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"))) {
            System.exit(BackupCommand.run(args, System.getenv(), System.out, System.err));
            return;
        }
        PrintStream out = System.out;
        ReceptionConfig config;
        try {
            config = ReceptionConfig.load(args, System.getenv());
        } catch (ConfigProblem e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }

        if (config.bridge().standaloneBridge()) {
            runBridge(config, out);
            return;
        }
        ReceptionServer server;
        try {
            server = ReceptionServer.start(config, System.getenv(AdminBootstrap.PASSWORD_ENV), Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("Cannot start: " + oneLine(e));
            System.exit(EXIT_START_FAILED);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(config.shutdownTimeoutSeconds()));
                    System.err.println("Shutdown took longer than " + config.shutdownTimeoutSeconds() + " s; exiting.");
                    Runtime.getRuntime().halt(EXIT_START_FAILED);
                } catch (InterruptedException ignored) {
                    // Stopped in time.
                }
            }, "shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            server.close();
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(() -> { stop.run(); System.exit(0); }, "sigterm").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(() -> { stop.run(); System.exit(0); }, "sigint").start());

        printWelcome(out, server);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code bridge.role = "bridge"}: a media bridge on its own until SIGTERM/SIGINT. */
    private static void runBridge(ReceptionConfig config, PrintStream out) {
        org.citizenreception.control.bridge.BridgeProcess bridge;
        try {
            bridge = org.citizenreception.control.bridge.BridgeProcess.start(config, Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("Cannot start the bridge: " + oneLine(e));
            System.exit(EXIT_START_FAILED);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            bridge.close();
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(() -> { stop.run(); System.exit(0); }, "sigterm").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(() -> { stop.run(); System.exit(0); }, "sigint").start());
        out.println("Citizen Reception Live media bridge " + config.bridge().id() + " is running: API " + bridge.apiUrl()
                + ", media udp " + bridge.mediaPort() + ", registering with " + config.bridge().controlUrl());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printWelcome(PrintStream out, ReceptionServer server) {
        out.println();
        out.println("Citizen Reception Live " + ReceptionServer.version() + " is running.");
        out.println("  Web UI:   http://localhost:" + server.httpPort() + "/");
        server.httpsPort().ifPresent(p -> out.println("  HTTPS:    https://localhost:" + p + "/"));
        out.println("  Health:   http://localhost:" + server.httpPort() + "/health");
        out.println("  Metrics:  http://localhost:" + server.httpPort() + "/metrics");
        out.println(server.config().bridge().remote() ? "  Media:    on remote bridges (media.bridges = remote), see GET /api/v1/bridges"
                : "  Media:    udp " + server.mediaPort() + ", advertising " + server.config().mediaAdvertisedAddresses());
        out.println("  Database: " + server.database().location());
        server.createdAdministrator().ifPresent(admin -> {
            out.println();
            if (admin.generated()) {
                out.println("  First administrator created (shown this once):");
                out.println("    user:     " + admin.username());
                out.println("    password: " + admin.password());
            } else {
                out.println("  First administrator created:");
                out.println("    user:     " + admin.username());
                out.println("    The password is the one set in " + AdminBootstrap.PASSWORD_ENV + " (not shown).");
            }
        });
        out.println();
        out.println("Stop with Ctrl+C (or SIGTERM).");
        out.flush();
    }

    private static void useOperatorLogbackFile() {
        Path operatorFile = Path.of("config", "logback.xml");
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(operatorFile)) {
            System.setProperty("logback.configurationFile", operatorFile.toAbsolutePath().toString());
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        return message.replace('\n', ' ');
    }
}
