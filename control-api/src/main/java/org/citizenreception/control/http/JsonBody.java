package org.citizenreception.control.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads request bodies for controllers, turning every way a body can be wrong into a problem
 * response that names the field: 415 for a body that is not JSON, 400 for malformed JSON, a
 * wrong type or an unknown field. (413 for an oversized body comes from Javalin's
 * {@code maxRequestSize}, enforced when the body is read.) The body is never logged or echoed.
 */
public final class JsonBody {
    private static final ObjectMapper MAPPER = HttpServer.objectMapper();

    private JsonBody() {
    }

    /** The body as {@code type}; a field absent from the JSON is {@code null} for the controller to check. */
    public static <T> T read(Context ctx, Class<T> type) {
        requireContentType(ctx, "application/json");
        return parse(ctx.bodyAsBytes(), type);
    }

    /** The JSON of a request body as {@code type}; every way it can be wrong is an {@link ApiException} 400. */
    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("The request needs a JSON body");
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read");
        }
        if (value == null) {
            throw ApiException.badRequest("The request needs a JSON object, not null");
        }
        return value;
    }

    /** The body as text of one of the {@code accepted} media types (e.g. {@code text/csv}), read as UTF-8. */
    public static String text(Context ctx, String... accepted) {
        requireContentType(ctx, accepted);
        return new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    }

    /** @throws ApiException 415 unless the Content-Type (without parameters) is one of {@code accepted} */
    public static void requireContentType(Context ctx, String... accepted) {
        String header = ctx.contentType();
        String mediaType = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(mediaType)) {
                return;
            }
        }
        throw ApiException.unsupportedMediaType("Send the body as " + String.join(" or ", accepted)
                + (mediaType.isEmpty() ? " (no Content-Type was given)" : ", not " + mediaType));
    }

    static ApiException translate(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return ApiException.badRequest(field + ": unknown field", new Problem.FieldError(field, "unknown field"));
        }
        if (e instanceof InvalidFormatException f) {
            String field = path(f);
            String message = "expected " + describe(f.getTargetType());
            return ApiException.badRequest(field + ": " + message, new Problem.FieldError(field, message));
        }
        if (e instanceof ValueInstantiationException v) {
            String field = path(v);
            String message = v.getCause() != null && v.getCause().getMessage() != null
                    ? v.getCause().getMessage() : "invalid value";
            return ApiException.badRequest(field + ": " + message, new Problem.FieldError(field, message));
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = path(m);
            String message = "expected " + describe(m.getTargetType());
            return ApiException.badRequest(field + ": " + message, new Problem.FieldError(field, message));
        }
        if (e instanceof StreamReadException r && r.getLocation() != null) {
            return ApiException.badRequest("Malformed JSON at line " + r.getLocation().getLineNr()
                    + ", column " + r.getLocation().getColumnNr());
        }
        if (e instanceof DatabindException) {
            return ApiException.badRequest("The body must be a JSON object of the documented shape");
        }
        return ApiException.badRequest("Malformed JSON");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(body)" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                values.append(values.length() == 0 ? "" : ", ").append(c);
            }
            return "one of " + values;
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == java.time.LocalDate.class) {
            return "a date YYYY-MM-DD";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "a timestamp like 2025-07-01T08:00:00Z";
        }
        return "an object";
    }
}
