package org.citizenreception.control.error;

/** One offending field of a request, by the name the client sent it under. */
public record FieldError(String field, String message) {
}
