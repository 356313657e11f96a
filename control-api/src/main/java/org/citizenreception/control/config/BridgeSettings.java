package org.citizenreception.control.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Standalone media bridges (issue 16), both sides of them.
 *
 * <p>Control-api: {@code media.bridges} says where conferences run ({@link #remote}: on registered
 * bridge processes; otherwise embedded), {@code bridge.secret} authenticates the bridges, and a bridge
 * silent for {@link #deadAfter} is dead; with {@link #cascade} a session spreads over bridges. A bridge process ({@code bridge.role = "bridge"}): its id,
 * region, capacity, where control-api is, and where its own API listens and is reached.
 *
 * @param secret empty when unset; required (at least 16 characters) by either side that uses bridges
 */
public record BridgeSettings(boolean remote, boolean standaloneBridge, String id, String region, int capacity, URI controlUrl,
                             String secret, String apiHost, int apiPort, Optional<URI> apiUrl, Duration deadAfter,
                             boolean cascade) {
    static final int MIN_SECRET_CHARS = 16;

    static BridgeSettings from(Config c) {
        String mode = c.getString("media.bridges").trim();
        if (!mode.equals("embedded") && !mode.equals("remote")) {
            throw new ConfigProblem("media.bridges", mode, "embedded or remote");
        }
        String role = c.getString("bridge.role").trim();
        if (!role.isEmpty() && !role.equals("bridge")) {
            throw new ConfigProblem("bridge.role", role, "empty (this is control-api) or bridge");
        }
        boolean standalone = role.equals("bridge");
        String secret = c.getString("bridge.secret");
        if ((standalone || mode.equals("remote")) && secret.length() < MIN_SECRET_CHARS) {
            // the value is not echoed: it is a secret
            throw new ConfigProblem("bridge.secret must be set (at least " + MIN_SECRET_CHARS
                    + " characters, the same on control-api and every bridge) when bridges run on their own");
        }
        String id = c.getString("bridge.id").trim();
        int apiPort = c.getInt("bridge.api-port");
        if (apiPort < 0 || apiPort > 65535) {
            throw new ConfigProblem("bridge.api-port", apiPort, "a port number (0: any free port)");
        }
        if (id.isEmpty()) {
            id = "bridge-" + hostName() + (apiPort == 0 ? "" : "-" + apiPort);
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
            throw new ConfigProblem("bridge.id", id, "letters, digits, '-' and '_' (at most 63)");
        }
        int capacity = c.getInt("bridge.capacity");
        if (capacity < 1) {
            throw new ConfigProblem("bridge.capacity", capacity, "a positive number of endpoints");
        }
        long deadAfterMillis = c.getLong("bridge.dead-after-millis");
        if (deadAfterMillis < 500) {
            throw new ConfigProblem("bridge.dead-after-millis", deadAfterMillis, "at least 500 (heartbeats come every 2 s)");
        }
        String apiUrl = c.getString("bridge.api-url").trim();
        return new BridgeSettings(mode.equals("remote"), standalone, id, c.getString("bridge.region").trim(), capacity,
                uri("bridge.control-url", c.getString("bridge.control-url")), secret, c.getString("bridge.api-host"), apiPort,
                apiUrl.isEmpty() ? Optional.empty() : Optional.of(uri("bridge.api-url", apiUrl)), Duration.ofMillis(deadAfterMillis),
                c.getBoolean("bridge.cascade"));
    }

    private static URI uri(String key, String value) {
        try {
            URI uri = URI.create(value.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(key, value, "an http:// or https:// URL");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_-]", "-");
        } catch (java.net.UnknownHostException e) {
            return "local";
        }
    }
}
