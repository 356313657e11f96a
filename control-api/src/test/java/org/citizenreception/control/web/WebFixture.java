package org.citizenreception.control.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a browser test sets up through the REST API before the browser takes over: accounts, a
 * live session and the rooms it invites. Each test class builds its own on its own {@link WebServer}.
 */
final class WebFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebServer server;
    final String adminToken;
    final String hostRoomCode;
    /** Up to five valid rooms below the province, in directory order. */
    final List<String> rooms;

    WebFixture(WebServer server) throws IOException, InterruptedException {
        this.server = server;
        this.adminToken = login("admin", WebServer.ADMIN_PASSWORD);
        String host = null;
        List<String> below = new ArrayList<>();
        for (JsonNode room : call("GET", "/api/v1/rooms", adminToken, null)) {
            String level = room.get("level").asText();
            if ("PROVINCE".equals(level) && host == null) {
                host = room.get("code").asText();
            } else if (!"PROVINCE".equals(level) && below.size() < 5 && room.get("validTo").isNull()) {
                below.add(room.get("code").asText());
            }
        }
        this.hostRoomCode = host;
        this.rooms = List.copyOf(below);
    }

    static String passwordOf(String username) {
        return username + "-mat-khau-2026";
    }

    String login(String username, String password) throws IOException, InterruptedException {
        return call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password)).get("token").asText();
    }

    long createUser(String username, String displayName, String role) throws IOException, InterruptedException {
        return createUser(username, displayName, role, null);
    }

    /** @param roomCode the room a ROOM_OPERATOR works in, or null */
    long createUser(String username, String displayName, String role, String roomCode) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", displayName);
        body.put("role", role);
        if (roomCode != null) {
            body.put("roomCode", roomCode);
        }
        body.put("password", passwordOf(username));
        return call("POST", "/api/v1/users", adminToken, body).get("id").asLong();
    }

    /** A session started now by {@code hostUsername} (a HOST account), inviting {@link #rooms}; returns its id. */
    long liveSession(String title, String hostUsername) throws IOException, InterruptedException {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("title", title);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        session.put("scheduledStart", start.toString());
        session.put("scheduledEnd", start.plus(3, ChronoUnit.HOURS).toString());
        session.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        session.put("hostRoomCode", hostRoomCode);
        session.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        long id = call("POST", "/api/v1/sessions", adminToken, session).get("id").asLong();
        call("POST", "/api/v1/sessions/" + id + "/state", login(hostUsername, passwordOf(hostUsername)), Map.of("state", "LIVE"));
        return id;
    }

    /** The session's register as the API gives it to {@code token}. */
    JsonNode petitions(long sessionId, String token) throws IOException, InterruptedException {
        return call("GET", "/api/v1/sessions/" + sessionId + "/petitions", token, null).get("petitions");
    }

    JsonNode call(String method, String path, String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
