package org.citizenreception.control.validation;

import org.citizenreception.control.error.DomainErrors;

/** Required/optional text and number checks that name the offending field. */
public final class Fields {
    private Fields() {
    }

    /**
     * Non-blank text of at most {@code max} characters, without control characters (but tab and
     * line breaks) or bidirectional overrides.
     */
    public static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw DomainErrors.invalid(field, "is required");
        }
        return checked(field, value, max);
    }

    /** Like {@link #required} but null becomes the empty string. */
    public static String optional(String field, String value, int max) {
        return value == null ? "" : checked(field, value, max);
    }

    /**
     * A person's or a unit's name: like {@link #required} (then stripped), and one line of visible
     * text — no tab or line break, no format character. Format characters include the bidirectional
     * overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name display differently
     * from what it is (a reversed "Nguyễn" in a register, "Trojan Source") and zero-width characters
     * that make two different names look the same.
     */
    public static String name(String field, String value, int max) {
        String checked = required(field, value, max);
        String problem = invisibleCharacter(checked, true);
        if (problem != null) {
            throw DomainErrors.invalid(field, problem);
        }
        return checked.strip();
    }

    /**
     * Why {@code value} is not acceptable text, or null: a control character (tab and line breaks
     * allowed unless {@code oneLine}), a bidirectional control, or (for {@code oneLine}) any other
     * format character.
     */
    public static String invisibleCharacter(String value, boolean oneLine) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.CONTROL && (oneLine || (cp != '\n' && cp != '\r' && cp != '\t'))) {
                return "must not contain control characters (U+" + hex(cp) + ")";
            }
            if (bidiControl(cp) || (oneLine && type == Character.FORMAT)) {
                return "must not contain invisible formatting or bidirectional override characters (U+" + hex(cp) + ")";
            }
        }
        return null;
    }

    private static boolean bidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
    }

    private static String hex(int cp) {
        return String.format("%04X", cp);
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw DomainErrors.invalid(field, "is required");
        }
        return value;
    }

    public static int range(String field, Integer value, int min, int max) {
        if (value == null) {
            throw DomainErrors.invalid(field, "is required");
        }
        if (value < min || value > max) {
            throw DomainErrors.invalid(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static String checked(String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            throw DomainErrors.invalid(field, "must be at most " + max + " characters");
        }
        String problem = invisibleCharacter(value, false);
        if (problem != null) {
            throw DomainErrors.invalid(field, problem);
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
        throw DomainErrors.notFound(what + " " + raw);
    }
}
