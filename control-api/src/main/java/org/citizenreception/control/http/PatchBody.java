package org.citizenreception.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON merge-patch style body (RFC 7396 semantics for flat objects): a field left out is
 * unchanged, a field set to {@code null} is cleared, any other value replaces. Records cannot tell
 * "absent" from "null", so PATCH endpoints read through this instead. Unknown fields and wrong
 * types are 400 naming the field, as in {@link JsonBody}.
 */
public final class PatchBody {
    private final ObjectNode node;

    private PatchBody(ObjectNode node) {
        this.node = node;
    }

    /** Reads the body, refusing fields not in {@code allowed}. */
    public static PatchBody read(Context ctx, Set<String> allowed) {
        JsonNode tree = JsonBody.read(ctx, JsonNode.class);
        if (!(tree instanceof ObjectNode object)) {
            throw ApiException.badRequest("The body must be a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiException.badRequest(field + ": unknown field", new Problem.FieldError(field, "unknown field"));
            }
        }
        return new PatchBody(object);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public boolean isEmpty() {
        return node.isEmpty();
    }

    /** Empty when absent; {@code Optional.of(Optional.empty())} when null. */
    public Optional<Optional<String>> text(String field) {
        if (!node.has(field)) {
            return Optional.empty();
        }
        JsonNode v = node.get(field);
        if (v.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(Optional.of(v.textValue()));
    }

    public Optional<Boolean> bool(String field) {
        if (!node.has(field)) {
            return Optional.empty();
        }
        JsonNode v = node.get(field);
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return Optional.of(v.booleanValue());
    }

    public Optional<Optional<LocalDate>> date(String field) {
        return text(field).map(o -> o.map(s -> {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                throw wrongType(field, "a date YYYY-MM-DD");
            }
        }));
    }

    private static ApiException wrongType(String field, String expected) {
        return ApiException.badRequest(field + ": expected " + expected, new Problem.FieldError(field, "expected " + expected));
    }
}
