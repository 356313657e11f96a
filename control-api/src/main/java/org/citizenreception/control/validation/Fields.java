package org.citizenreception.control.validation;

import org.citizenreception.control.http.ApiException;

/** Required/optional text and number checks that name the offending field. */
public final class Fields {
    private Fields() {
    }

    /** Non-blank text of at most {@code max} characters, without NUL or other C0 controls but tab and newlines. */
    public static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, "is required");
        }
        return checked(field, value, max);
    }

    /** Like {@link #required} but null becomes the empty string. */
    public static String optional(String field, String value, int max) {
        return value == null ? "" : checked(field, value, max);
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw ApiException.invalid(field, "is required");
        }
        return value;
    }

    public static int range(String field, Integer value, int min, int max) {
        if (value == null) {
            throw ApiException.invalid(field, "is required");
        }
        if (value < min || value > max) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static String checked(String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            throw ApiException.invalid(field, "must be at most " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
                throw ApiException.invalid(field, "must not contain control characters");
            }
        }
        return value;
    }

    /** Parses a numeric path id, answering 404 (not 400) for anything else: no such resource. */
    public static long id(String what, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.notFound(what + " " + raw);
    }
}
