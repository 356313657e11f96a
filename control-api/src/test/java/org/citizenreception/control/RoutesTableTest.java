package org.citizenreception.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.citizenreception.control.http.AccessRule;
import org.citizenreception.control.http.Scope;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes table is the access model: every route Javalin serves has exactly one rule and every
 * rule a route (a new route without a rule fails here, and {@link AccessFilter} refuses it at run
 * time), and the OpenAPI document states the same roles ({@code x-roles}) and scope ({@code x-scope})
 * for every route.
 */
class RoutesTableTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void everyRegisteredRouteHasARuleAndEveryRuleARoute() {
        Set<String> registered = t.server.routes().stream().map(r -> (r.websocket() ? "WS " : "") + r.method() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = RoutesTable.RULES.stream().map(r -> (r.websocket() ? "WS " : "") + r.route())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).as("RoutesTable.RULES (add a rule for every new route)").containsExactlyElementsOf(registered);
    }

    /** Routes whose controllers check no object themselves: the filter applies the table's scope to them. */
    @Test
    void theTablesScopeIsEnforcedBeforeAnyController() {
        long session = t.scheduleOnlineSession("Phạm vi trước bộ điều khiển", "QN-VP", List.of("QN25-BAI-CHAY"));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("username", "rt.secretary.district");
        body.put("role", "SECRETARY");
        body.put("unitCode", "QN25-CO-TO");
        body.put("password", TestServer.passwordOf("rt.secretary.district"));
        assertThat(t.json("POST", "/api/v1/users", t.adminToken(), body).status()).isEqualTo(201);
        String otherUnit = t.token("rt.secretary.district", TestServer.passwordOf("rt.secretary.district"));
        t.createUser("rt.secretary", org.citizenreception.control.identity.Role.SECRETARY, null);
        String province = t.token("rt.secretary", TestServer.passwordOf("rt.secretary"));
        for (String path : List.of("/api/v1/sessions/" + session + "/floor", "/api/v1/sessions/" + session + "/attendance")) {
            assertThat(t.get(path, otherUnit).status()).as(path + " for a secretary of another unit").isEqualTo(403);
            assertThat(t.get(path, province).status()).as(path + " for a province secretary").isEqualTo(200);
        }
        String otherSession = t.joinToken(t.scheduleOnlineSession("Phiên khác", "QN-VP", List.of("QN25-BAI-CHAY")),
                "QN25-BAI-CHAY");
        assertThat(t.get("/api/v1/sessions/" + session + "/floor", otherSession).status()).isEqualTo(403);
    }

    @Test
    void theOpenApiDocumentStatesEachRulesRolesAndScope() {
        JsonNode paths = t.get("/api/v1/openapi.json", null).json().get("paths");
        List<String> mismatches = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                boolean ws = op.getKey().equals("x-websocket");
                if (!ws && !Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                String method = ws ? "GET" : op.getKey().toUpperCase(Locale.ROOT);
                documented.add(method + " " + path.getKey());
                AccessRule rule = RoutesTable.rule(method, path.getKey()).orElse(null);
                if (rule == null) {
                    mismatches.add(method + " " + path.getKey() + " is documented but has no rule");
                    continue;
                }
                Set<String> roles = new TreeSet<>();
                op.getValue().path("x-roles").forEach(r -> roles.add(r.asText()));
                Set<String> expectedRoles = rule.scope() == Scope.PUBLIC ? Set.of("public")
                        : rule.roles().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
                if (!roles.equals(expectedRoles)) {
                    mismatches.add(rule.route() + ": x-roles " + roles + ", the table says " + expectedRoles);
                }
                String scope = op.getValue().path("x-scope").asText("");
                if (!scope.equals(rule.scope().name())) {
                    mismatches.add(rule.route() + ": x-scope '" + scope + "', the table says " + rule.scope());
                }
            }
        }
        for (AccessRule rule : RoutesTable.RULES) {
            if (!documented.contains(rule.route())) {
                mismatches.add(rule.route() + " is not documented");
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
