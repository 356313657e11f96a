package org.citizenreception.control.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The REST calls browser tests make to set the scene (accounts, a session, join links) before the pages take over. */
final class ReceptionApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    final String adminToken;

    ReceptionApi(WebServer server) throws Exception {
        this(server.baseUrl(), WebServer.ADMIN_PASSWORD);
    }

    /** For a server in another process, at {@code baseUrl} (ending in a slash). */
    ReceptionApi(String baseUrl, String adminPassword) throws Exception {
        this.baseUrl = baseUrl;
        this.adminToken = call("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", adminPassword))
                .get("token").asText();
    }

    static String password(String username) {
        return username + "-mat-khau-2026";
    }

    void createUser(String username, String displayName, String role) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", displayName);
        body.put("role", role);
        body.put("password", password(username));
        call("POST", "/api/v1/users", adminToken, body);
    }

    /** The first {@code n} current communes of the directory. */
    List<String> communes(int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode room : call("GET", "/api/v1/rooms", adminToken, null)) {
            if ("COMMUNE".equals(room.get("level").asText()) && room.get("validTo").isNull() && out.size() < n) {
                out.add(room.get("code").asText());
            }
        }
        return out;
    }

    String roomName(String code) throws Exception {
        for (JsonNode room : call("GET", "/api/v1/rooms", adminToken, null)) {
            if (code.equals(room.get("code").asText())) {
                return room.get("name").asText();
            }
        }
        throw new AssertionError("no room " + code);
    }

    /** A session starting this minute, hosted in the province room, for {@code rooms}; returns its id. */
    long scheduleNow(String title, List<String> rooms) throws Exception {
        String hostRoom = null;
        for (JsonNode room : call("GET", "/api/v1/rooms", adminToken, null)) {
            if ("PROVINCE".equals(room.get("level").asText()) && room.get("validTo").isNull()) {
                hostRoom = room.get("code").asText();
            }
        }
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plus(2, ChronoUnit.HOURS).toString());
        body.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        body.put("hostRoomCode", hostRoom);
        body.put("invitation", Map.of("type", "LIST", "rooms", rooms));
        body.put("mode", "ONLINE");
        body.put("recording", false);
        return call("POST", "/api/v1/sessions", adminToken, body).get("id").asLong();
    }

    /** The link the host console hands a room: the room screen with a join token. */
    String joinLink(long session, String room) throws Exception {
        String token = call("POST", "/api/v1/sessions/" + session + "/rooms/" + room + "/join-token", adminToken, Map.of())
                .get("token").asText();
        return baseUrl + "?join=" + room + "#/join/" + session + "?room=" + room + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    JsonNode floor(long session) throws Exception {
        return call("GET", "/api/v1/sessions/" + session + "/floor", adminToken, null);
    }

    JsonNode call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
