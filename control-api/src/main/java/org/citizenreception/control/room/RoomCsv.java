package org.citizenreception.control.room;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a room directory CSV (UTF-8, RFC 4180, {@code #} starts a comment line) and checks each row
 * on its own: columns, code syntax, level, dates, duplicates within the file. Checks that need the
 * whole tree (unknown parent, cycle, level order) are done by {@link RoomDirectory} against the
 * file and the rooms already stored.
 *
 * <p>Columns (header row required, in any order):
 * <ul>
 *   <li>{@code code}: unique, stable identifier, letters, digits, {@code . _ -}, at most 40</li>
 *   <li>{@code name}: display name (Vietnamese with diacritics)</li>
 *   <li>{@code level}: PROVINCE, DISTRICT, COMMUNE, WARD, SPECIAL_ZONE or TOWNSHIP</li>
 *   <li>{@code parent_code}: code of the parent unit, empty for the root</li>
 *   <li>{@code valid_from}, {@code valid_to}: ISO dates (YYYY-MM-DD), empty when open</li>
 *   <li>{@code predecessors}, {@code successors} (optional): codes separated by {@code ;}</li>
 * </ul>
 */
public final class RoomCsv {
    public static final List<String> REQUIRED_COLUMNS = List.of("code", "name", "level", "parent_code", "valid_from", "valid_to");
    public static final List<String> OPTIONAL_COLUMNS = List.of("predecessors", "successors");
    static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    static final int MAX_NAME_LENGTH = 200;
    /** A province has a few hundred units; far more is a wrong file, refused before any work. */
    static final int MAX_ROWS = 20_000;

    /** One valid row with the line it came from. */
    public record Row(int line, Room room) {
    }

    /** A problem at a line of the file, in a column (or {@code "file"}). */
    public record LineError(int line, String field, String message) {
    }

    public record Parsed(List<Row> rows, List<LineError> errors) {
    }

    private RoomCsv() {
    }

    public static Parsed parse(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Row> rows = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setCommentMarker('#')
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .get();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(body)).setFormat(format).get()) {
            Set<String> header = new LinkedHashSet<>(parser.getHeaderNames());
            for (String required : REQUIRED_COLUMNS) {
                if (!header.contains(required)) {
                    errors.add(new LineError(1, required, "the header has no column '" + required + "' (columns: "
                            + String.join(",", REQUIRED_COLUMNS) + "[," + String.join(",", OPTIONAL_COLUMNS) + "])"));
                }
            }
            for (String column : header) {
                if (!REQUIRED_COLUMNS.contains(column) && !OPTIONAL_COLUMNS.contains(column)) {
                    errors.add(new LineError(1, column, "unknown column '" + column + "'"));
                }
            }
            if (!errors.isEmpty()) {
                return new Parsed(List.of(), errors);
            }
            Map<String, Integer> firstLineOfCode = new HashMap<>();
            for (CSVRecord record : parser) {
                int line = (int) parser.getCurrentLineNumber();
                if (rows.size() + errors.size() >= MAX_ROWS) {
                    errors.add(new LineError(line, "file", "more than " + MAX_ROWS + " rows"));
                    break;
                }
                if (!record.isConsistent()) {
                    errors.add(new LineError(line, "file", "expected " + header.size() + " values, found " + record.size()));
                    continue;
                }
                Room room = row(record, line, header, errors);
                if (room == null) {
                    continue;
                }
                Integer earlier = firstLineOfCode.putIfAbsent(room.code(), line);
                if (earlier != null) {
                    errors.add(new LineError(line, "code", "duplicate code '" + room.code() + "' (first on line " + earlier + ")"));
                    continue;
                }
                rows.add(new Row(line, room));
            }
        } catch (IOException e) {
            // Reading a String cannot fail: this is commons-csv refusing the header (an unterminated
            // quote), which used to escape as an UncheckedIOException and answer 500.
            errors.add(new LineError(1, "file", "not a readable CSV: " + e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // commons-csv reports a broken quote or a duplicate header this way.
            errors.add(new LineError(1, "file", "not a readable CSV: " + e.getMessage()));
        } catch (UncheckedIOException e) {
            errors.add(new LineError(1, "file", "not a readable CSV: " + e.getCause().getMessage()));
        }
        if (rows.isEmpty() && errors.isEmpty()) {
            errors.add(new LineError(1, "file", "no rooms in the file"));
        }
        return new Parsed(rows, errors);
    }

    private static Room row(CSVRecord record, int line, Set<String> header, List<LineError> errors) {
        int before = errors.size();
        String code = record.get("code");
        if (!CODE.matcher(code).matches()) {
            errors.add(new LineError(line, "code", "must be 1-40 letters, digits, '.', '_' or '-'"));
        }
        String name = record.get("name");
        if (name.isBlank()) {
            errors.add(new LineError(line, "name", "must not be empty"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new LineError(line, "name", "longer than " + MAX_NAME_LENGTH + " characters"));
        } else if (org.citizenreception.control.validation.Fields.invisibleCharacter(name, true) != null) {
            errors.add(new LineError(line, "name", org.citizenreception.control.validation.Fields.invisibleCharacter(name, true)));
        }
        RoomLevel level = null;
        try {
            level = RoomLevel.valueOf(record.get("level").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new LineError(line, "level", "'" + record.get("level") + "' is not one of " + Arrays.toString(RoomLevel.values())));
        }
        String parent = record.get("parent_code");
        if (!parent.isEmpty() && !CODE.matcher(parent).matches()) {
            errors.add(new LineError(line, "parent_code", "must be empty or a room code"));
        }
        if (parent.equals(code)) {
            errors.add(new LineError(line, "parent_code", "a room cannot be its own parent (cycle)"));
        }
        LocalDate from = date(record.get("valid_from"), line, "valid_from", errors);
        LocalDate to = date(record.get("valid_to"), line, "valid_to", errors);
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new LineError(line, "valid_to", "is before valid_from"));
        }
        List<String> predecessors = codes(record, header, "predecessors", line, errors);
        List<String> successors = codes(record, header, "successors", line, errors);
        if (errors.size() > before) {
            return null;
        }
        return new Room(code, name.strip(), level, parent.isEmpty() ? null : parent, from, to, predecessors, successors);
    }

    private static LocalDate date(String value, int line, String field, List<LineError> errors) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new LineError(line, field, "'" + value + "' is not a date YYYY-MM-DD"));
            return null;
        }
    }

    private static List<String> codes(CSVRecord record, Set<String> header, String column, int line, List<LineError> errors) {
        if (!header.contains(column) || record.get(column).isBlank()) {
            return List.of();
        }
        List<String> codes = new ArrayList<>();
        for (String part : record.get(column).split(";")) {
            String code = part.strip();
            if (!CODE.matcher(code).matches()) {
                errors.add(new LineError(line, column, "'" + code + "' is not a room code"));
            } else {
                codes.add(code);
            }
        }
        return codes;
    }
}
