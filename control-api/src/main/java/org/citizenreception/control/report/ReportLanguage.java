package org.citizenreception.control.report;

import java.util.Set;
import org.citizenreception.control.pdf.PrintLabels;
import org.citizenreception.control.pdf.PrintLanguageChoice;

/**
 * The languages a report prints in: Vietnamese (filed, the default) and English. Words come from
 * {@code report/labels-<code>.properties}, worded as the web client's reports page.
 */
enum ReportLanguage {
    VI("vi"),
    EN("en");

    private final String code;
    private final PrintLabels labels;

    ReportLanguage(String code) {
        this.code = code;
        this.labels = PrintLabels.load("report", code);
    }

    String code() {
        return code;
    }

    /** The label {@code key} with {@code {0}}, {@code {1}}, … replaced by {@code args}. */
    String label(String key, Object... args) {
        return labels.label(key, args);
    }

    /** A label for an enum value ({@code status.CLOSED}), or the value itself for one added later. */
    String labelOr(String key, String fallback) {
        return labels.labelOr(key, fallback);
    }

    Set<String> keys() {
        return labels.keys();
    }

    /**
     * {@code ?lang=} when given (vi or en, anything else is refused naming the field), else the first
     * of the browser's Accept-Language that we print in, else Vietnamese.
     */
    static ReportLanguage of(String lang, String acceptLanguage) {
        String code = PrintLanguageChoice.requested(lang);
        if (code == null) {
            code = PrintLanguageChoice.fromAcceptLanguage(acceptLanguage);
        }
        return "en".equals(code) ? EN : VI;
    }
}
