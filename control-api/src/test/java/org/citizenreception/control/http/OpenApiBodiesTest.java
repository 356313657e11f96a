package org.citizenreception.control.http;

import org.citizenreception.control.user.AuthController;
import org.citizenreception.control.user.UserController;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document's bodies cannot drift from the code: every request and response body has a
 * schema that says something (no bare {@code object}), and every JSON request body's properties
 * are exactly the components of the Java record the controller reads it into (or the fields a
 * PATCH accepts), its required fields among them. A controller that starts reading a new body
 * needs its line in {@link #REQUEST_BODIES}, and the document its schema.
 */
class OpenApiBodiesTest {
    /** {@code METHOD path} → the type the controller reads the JSON body into (a record, or a class's {@code PATCH_FIELDS}). */
    static final Map<String, String> REQUEST_BODIES = Map.ofEntries(
            entry("POST /api/v1/auth/login", "user.AuthController$LoginRequest"),
            entry("POST /api/v1/auth/password", "user.AuthController$PasswordChange"),
            entry("POST /api/v1/users", "user.UserController$CreateRequest"),
            entry("PATCH /api/v1/users/{id}", "user.UserController#PATCH_FIELDS"),
            entry("POST /api/v1/rooms", "room.RoomController$CreateRequest"),
            entry("PATCH /api/v1/rooms/{code}", "room.RoomController#PATCH_FIELDS"),
            entry("POST /api/v1/sessions", "session.SessionInput"),
            entry("PATCH /api/v1/sessions/{id}", "session.SessionInput"),
            entry("POST /api/v1/sessions/{id}/state", "session.SessionController$StateInput"),
            entry("POST /api/v1/sessions/{id}/join-tokens", "session.JoinLinks$Request"),
            entry("POST /api/v1/session-schedules", "session.ScheduleInput"),
            entry("POST /api/v1/session-schedules/preview", "session.ScheduleInput"),
            entry("POST /api/v1/leaders", "session.LeaderService$LeaderInput"),
            entry("PATCH /api/v1/leaders/{id}", "session.LeaderService$LeaderInput"),
            entry("POST /api/v1/sessions/{id}/floor", "floor.FloorController$RoomInput"),
            entry("POST /api/v1/sessions/{id}/hands", "floor.FloorController$RoomInput"),
            entry("PUT /api/v1/sessions/{id}/stage/layout", "media.StageController$LayoutInput"),
            entry("POST /api/v1/sessions/{id}/rooms/{room}/officials", "attendance.AttendanceController$OfficialInput"),
            entry("PUT /api/v1/sessions/{id}/rooms/{room}/citizens", "attendance.AttendanceController$CitizensInput"),
            entry("PUT /api/v1/sessions/{id}/rooms/{room}/layer", "media.LayerPinController$LayerInput"),
            entry("POST /api/v1/sessions/{id}/petitions", "petition.PetitionInput"),
            entry("PATCH /api/v1/petitions/{id}", "petition.PetitionInput"),
            entry("POST /api/v1/petitions/{id}/annotations", "petition.PetitionCommands$AnnotationInput"),
            entry("POST /api/v1/petitions/{id}/status", "petition.PetitionCommands$StatusInput"),
            entry("POST /api/v1/petitions/{id}/split", "petition.PetitionCommands$SplitInput"),
            entry("POST /api/v1/petitions/{id}/extensions", "petition.PetitionCommands$ExtensionInput"),
            entry("POST /api/v1/petitions/{id}/steps", "petition.CaseCommands$StepInput"),
            entry("POST /api/v1/petitions/{id}/links", "petition.CaseCommands$LinkInput"),
            entry("POST /api/v1/petitions/case-history", "petition.CaseCommands$HistoryQuery"),
            entry("POST /api/v1/agencies", "agency.AgencyService$AgencyInput"),
            entry("PATCH /api/v1/agencies/{id}", "agency.AgencyService$AgencyInput"),
            entry("POST /api/v1/sessions/{id}/rooms/{room}/messages", "message.RoomMessageController$MessageInput"),
            entry("POST /api/v1/sessions/{id}/messages/{message}/replies", "message.RoomMessageController$ReplyInput"),
            entry("POST /api/v1/sessions/{id}/messages/{message}/petition", "petition.PetitionInput"),
            entry("DELETE /api/v1/recordings/{recording}", "recording.RecordingController$DisposalInput"),
            entry("PUT /api/v1/bridges/{id}", "bridge.BridgeWire$Heartbeat"),
            entry("POST /api/v1/bridges/{id}/events", "bridge.BridgeWire$Events"));

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private final JsonNode document = OpenApiController.load().document();

    @Test
    void everyRequestAndResponseBodyHasASchemaThatSaysSomething() {
        List<String> vague = new ArrayList<>();
        forEachOperation((route, op) -> {
            op.path("requestBody").path("content").properties().forEach(c -> check(vague, route + " request " + c.getKey(), c.getValue()));
            op.path("responses").properties().forEach(r -> r.getValue().path("content").properties()
                    .forEach(c -> check(vague, route + " response " + r.getKey() + " " + c.getKey(), c.getValue())));
        });
        assertThat(vague).as("bodies without a schema, or with a bare object").isEmpty();
    }

    @Test
    void everyJsonRequestBodyIsTheRecordItsControllerReads() throws Exception {
        Set<String> documented = new TreeSet<>();
        forEachOperation((route, op) -> {
            if (op.path("requestBody").path("content").has("application/json")) {
                documented.add(route);
            }
        });
        assertThat(documented).as("JSON request bodies in the document = the bodies controllers read")
                .containsExactlyInAnyOrderElementsOf(REQUEST_BODIES.keySet());
        List<String> drift = new ArrayList<>();
        for (Map.Entry<String, String> body : REQUEST_BODIES.entrySet()) {
            String route = body.getKey();
            int space = route.indexOf(' ');
            JsonNode schema = resolve(document.path("paths").path(route.substring(space + 1))
                    .path(route.substring(0, space).toLowerCase(Locale.ROOT)).path("requestBody").path("content")
                    .path("application/json").path("schema"));
            Set<String> properties = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(properties::add);
            Set<String> fields = new TreeSet<>(fields(body.getValue()));
            if (!properties.equals(fields)) {
                drift.add(route + ": the schema lists " + properties + ", " + body.getValue() + " has " + fields);
            }
            for (JsonNode required : schema.path("required")) {
                if (!fields.contains(required.asText())) {
                    drift.add(route + ": requires " + required.asText() + ", which " + body.getValue() + " does not read");
                }
            }
        }
        assertThat(drift).isEmpty();
    }

    /** The record's components, or the names in a class's {@code static Set<String> PATCH_FIELDS}. */
    private static Collection<String> fields(String type) throws Exception {
        String base = "org.citizenreception.control.";
        int hash = type.indexOf('#');
        if (hash >= 0) {
            var field = Class.forName(base + type.substring(0, hash)).getDeclaredField(type.substring(hash + 1));
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) field.get(null);
            return names;
        }
        Class<?> record = Class.forName(base + type);
        assertThat(record.isRecord()).as(type + " is a record").isTrue();
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toList());
    }

    private void check(List<String> vague, String where, JsonNode content) {
        if (!content.has("schema")) {
            vague.add(where + ": no schema");
            return;
        }
        JsonNode schema = resolve(content.get("schema"));
        boolean bareObject = "object".equals(schema.path("type").asText()) && !schema.has("properties")
                && !schema.has("additionalProperties") && !schema.has("oneOf");
        if (bareObject) {
            vague.add(where + ": an object without properties");
        }
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            JsonNode target = document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
            assertThat(target.isMissingNode()).as(ref + " exists").isFalse();
            return target;
        }
        return schema;
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                action.accept(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }));
    }
}
