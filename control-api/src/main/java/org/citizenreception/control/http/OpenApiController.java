package org.citizenreception.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.json}: the hand-kept OpenAPI 3.1 description, assembled once at start
 * from {@code openapi/openapi.json} (info, shared components, the foundation's paths) and one
 * fragment per area ({@code openapi/paths-*.json}, each {@code {"paths": {...}}}), so areas edit
 * their own file. A test compares the assembled paths with the routes Javalin registered.
 */
public final class OpenApiController {
    static final String BASE = "openapi/openapi.json";
    /** Fragments merged into the base, in order. Add an area's file here. */
    static final List<String> FRAGMENTS = List.of("openapi/paths-domain.json", "openapi/paths-media.json", "openapi/paths-stage.json",
            "openapi/paths-recording.json", "openapi/paths-room-messages.json", "openapi/paths-schedules.json",
            "openapi/paths-reports.json", "openapi/paths-bridges.json");

    private final byte[] document;
    private final JsonNode tree;

    private OpenApiController(JsonNode tree, byte[] document) {
        this.tree = tree;
        this.document = document;
    }

    public static OpenApiController load() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            ObjectNode base = (ObjectNode) read(mapper, BASE);
            ObjectNode paths = (ObjectNode) base.get("paths");
            for (String fragment : FRAGMENTS) {
                JsonNode extra = read(mapper, fragment).get("paths");
                for (Map.Entry<String, JsonNode> e : extra.properties()) {
                    if (paths.has(e.getKey())) {
                        throw new IllegalStateException(fragment + " repeats the path " + e.getKey());
                    }
                    paths.set(e.getKey(), e.getValue());
                }
            }
            return new OpenApiController(base, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(base));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI description", e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String resource) throws IOException {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            return mapper.readTree(in);
        }
    }

    /** The assembled document (for the test that compares it with the registered routes). */
    public JsonNode document() {
        return tree;
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json").result(document);
    }
}
