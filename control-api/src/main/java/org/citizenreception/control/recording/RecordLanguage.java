package org.citizenreception.control.recording;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import org.citizenreception.control.pdf.PrintLabels;
import org.citizenreception.control.pdf.PrintLanguageChoice;

/**
 * The languages the session record is printed in: Vietnamese (filed, and the default) and English
 * (for a user reading the app in English). Labels come from {@code session-record/labels-<code>.properties}.
 */
enum RecordLanguage {
    VI("vi"),
    EN("en");

    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    private final String code;
    private final PrintLabels labels;

    RecordLanguage(String code) {
        this.code = code;
        this.labels = PrintLabels.load("session-record", code);
    }

    String code() {
        return code;
    }

    /** The label {@code key} with {@code {0}}, {@code {1}}, … replaced by {@code args}. */
    String label(String key, Object... args) {
        return labels.label(key, args);
    }

    /** A label for an enum value ({@code kind.COMPLAINT}), or the value itself for one added later. */
    String labelOr(String key, String fallback) {
        return labels.labelOr(key, fallback);
    }

    Set<String> keys() {
        return labels.keys();
    }

    /** Times as people in the province read them: Vietnam's time zone, this language's layout. */
    DateTimeFormatter time() {
        return DateTimeFormatter.ofPattern(label("time"), Locale.forLanguageTag(code)).withZone(ZONE);
    }

    /**
     * The {@code lang} query parameter: absent means Vietnamese, the language the record is filed in
     * (the browser's language is not consulted for an official record); anything but vi or en is
     * refused naming the field.
     */
    static RecordLanguage of(String lang) {
        return "en".equals(PrintLanguageChoice.requested(lang)) ? EN : VI;
    }
}
