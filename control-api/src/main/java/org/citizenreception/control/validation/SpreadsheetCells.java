package org.citizenreception.control.validation;

/**
 * Text cells of a CSV export made inert for spreadsheets. A cell a user typed that starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is read by Excel and
 * LibreOffice as a formula ("CSV injection": {@code =HYPERLINK(...)} leaking the sheet, DDE running a
 * command on the clerk's PC); a leading apostrophe makes it plain text, as OWASP advises. Numbers and
 * dates the server produced are not text and pass unchanged, so a negative count stays a number.
 */
public final class SpreadsheetCells {
    private SpreadsheetCells() {
    }

    /** The values of one record, text cells neutralised. */
    public static Object[] record(Object... values) {
        Object[] safe = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            safe[i] = values[i] instanceof CharSequence text ? text(text.toString()) : values[i];
        }
        return safe;
    }

    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
