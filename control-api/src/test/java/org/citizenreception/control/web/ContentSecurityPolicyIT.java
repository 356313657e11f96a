package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.citizenreception.control.http.SecurityHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every console — sign-in, the administrator's six pages, the secretary's register, the host's
 * console, the room screen and a join link — loaded in Chromium under the server's
 * Content-Security-Policy, with no violation in the console log nor reported to a
 * {@code securitypolicyviolation} listener installed before any page script runs. And, in the same
 * browser, what the browser keeps of personal data: nothing once its user signs out.
 */
class ContentSecurityPolicyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Installed by DevTools before any page script, outside the page's CSP. */
    private static final String VIOLATION_LISTENER = "window.__csp = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' '"
            + " + (e.sourceFile || '') + ':' + e.lineNumber));";

    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static String adminToken;
    static long sessionId;
    static String joinToken;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_LISTENER));
        adminToken = api("POST", "/api/v1/auth/login", null, Map.of("username", "admin", "password", WebServer.ADMIN_PASSWORD))
                .get("token").asText();
        String hostRoom = null;
        List<String> invited = new ArrayList<>();
        for (JsonNode room : api("GET", "/api/v1/rooms", adminToken, null)) {
            if ("PROVINCE".equals(room.get("level").asText()) && hostRoom == null) {
                hostRoom = room.get("code").asText();
            } else if (!"PROVINCE".equals(room.get("level").asText()) && invited.size() < 2 && room.get("validTo").isNull()) {
                invited.add(room.get("code").asText());
            }
        }
        createUser("chutri", "HOST", null);
        createUser("thuky", "SECRETARY", null);
        createUser("diemcau", "ROOM_OPERATOR", invited.get(0));
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("title", "Tiếp công dân — CSP");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        session.put("scheduledStart", start.toString());
        session.put("scheduledEnd", start.plus(3, ChronoUnit.HOURS).toString());
        session.put("presidingOfficial", "Chủ tịch UBND tỉnh");
        session.put("hostRoomCode", hostRoom);
        session.put("invitation", Map.of("type", "LIST", "rooms", invited));
        sessionId = api("POST", "/api/v1/sessions", adminToken, session).get("id").asLong();
        String host = api("POST", "/api/v1/auth/login", null, Map.of("username", "chutri", "password", passwordOf("chutri")))
                .get("token").asText();
        api("POST", "/api/v1/sessions/" + sessionId + "/state", host, Map.of("state", "LIVE"));
        joinToken = api("POST", "/api/v1/sessions/" + sessionId + "/rooms/" + invited.get(1) + "/join-token", adminToken, Map.of())
                .get("token").asText();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyConsoleRendersUnderTheCspWithoutASingleViolation() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline")
                .contains("frame-ancestors 'none'");

        List<String> violations = new ArrayList<>();
        browser.open("/signin");
        browser.js("localStorage.clear(); sessionStorage.clear();");
        browser.open("/signin");
        browser.waitFor("input[name='username']");
        collect("sign-in", violations);

        browser.signIn("admin", WebServer.ADMIN_PASSWORD);
        collect("admin home", violations);
        visit("/admin/rooms", ".tree", violations);
        visit("/admin/users", "#users-table", violations);
        visit("/admin/sessions", "#session-form", violations);
        // The invitation picker is the one place that indented by style attributes before the CSP.
        browser.js("document.querySelectorAll('.room-picker').forEach(p => p.hidden = false);");
        collect("/admin/sessions with the room picker", violations);
        visit("/admin/attendance/" + sessionId, "#attendance-table", violations);
        visit("/admin/petitions", "form[role='search']", violations);
        visit("/admin/audit", "#audit-verify-run", violations);
        browser.find("#change-password").click();
        browser.waitFor("#own-password input[name='currentPassword']");
        collect("the change-password dialog", violations);
        browser.js("document.getElementById('own-password').remove();");
        signOut();

        browser.signIn("thuky", passwordOf("thuky"));
        visit("/secretary/" + sessionId, "#petition-form", violations);
        signOut();

        browser.signIn("chutri", passwordOf("chutri"));
        visit("/host/" + sessionId, "#room-wall", violations);
        signOut();

        browser.signIn("diemcau", passwordOf("diemcau"));
        visit("/room/" + sessionId, "#program", violations);
        signOut();

        browser.open("/join/" + joinToken);
        browser.waitFor("#program");
        collect("join link", violations);

        assertThat(violations).as("CSP violations").isEmpty();
    }

    /** A secretary's half-typed petition (a petitioner's name and ID) leaves the shared PC at sign-out. */
    @Test
    void signingOutClearsDraftsHoldingPersonalData() {
        browser.open("/signin");
        signOut();
        browser.signIn("thuky", passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        org.openqa.selenium.WebElement name = browser.find("#petition-form [name='p0.name']");
        name.sendKeys("Nguyễn Văn An");
        browser.find("#petition-form [name='summary']").sendKeys("Khiếu nại về đất đai");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(10)).until(d ->
                ((Number) browser.js("return Object.keys(localStorage).filter(k => k.startsWith('crl.draft.')).length;")).intValue() > 0);
        assertThat((String) browser.js("return Object.keys(localStorage).filter(k => k.startsWith('crl.draft.'))"
                + ".map(k => localStorage.getItem(k)).join();")).contains("Nguyễn Văn An");

        browser.find("#signout").click();
        browser.waitFor("input[name='username']");
        assertThat(browser.js("return Object.keys(localStorage).filter(k => k.startsWith('crl.draft.') || k === 'crl.auth').length;"))
                .isEqualTo(0L);
    }

    /** Proves the two detectors see a violation when there is one, so an empty list means something. */
    @Test
    void anInlineStyleAttributeIsCaughtByBothDetectors() {
        browser.open("/signin");
        browser.waitFor("input[name='username']");
        browser.consoleLog();
        browser.js("const d = document.createElement('div'); d.innerHTML = '<span style=\"color:red\">x</span>'; document.body.append(d);");
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            collect("probe", seen);
        }
        assertThat(seen).anyMatch(v -> v.contains("Content Security Policy") || v.contains("style-src"));
    }

    private static void visit(String hash, String readySelector, List<String> violations) {
        browser.go(hash, readySelector);
        collect(hash, violations);
    }

    /** Both sources: Chromium's console log and the page's securitypolicyviolation listener. */
    private static void collect(String where, List<String> violations) {
        for (String line : browser.consoleLog()) {
            if (line.contains("Content Security Policy") || line.contains("Refused to")) {
                violations.add(where + ": " + line);
            }
        }
        Object reported = browser.js("const v = window.__csp || []; window.__csp = []; return v;");
        if (reported instanceof List<?> list) {
            list.forEach(v -> violations.add(where + ": " + v));
        }
    }

    private static void signOut() {
        browser.js("localStorage.clear(); sessionStorage.clear();");
    }

    static String passwordOf(String username) {
        return username + "-mat-khau-2026";
    }

    private static void createUser(String username, String role, String room) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", "Người dùng " + username);
        body.put("role", role);
        if (room != null) {
            body.put("roomCode", room);
        }
        body.put("password", passwordOf(username));
        api("POST", "/api/v1/users", adminToken, body);
    }

    private static JsonNode api(String method, String path, String token, Object body) throws Exception {
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
