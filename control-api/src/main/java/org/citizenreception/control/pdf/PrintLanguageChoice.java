package org.citizenreception.control.pdf;

import java.util.List;
import java.util.Locale;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.FieldError;

/**
 * Which language a printed document is asked for, read the same way for every document: the
 * {@code lang} query parameter when given (vi or en; anything else is refused with 400 naming the
 * field, like every other malformed query parameter), else a fallback the document chooses.
 */
public final class PrintLanguageChoice {
    private static final List<String> CODES = List.of("vi", "en");

    private PrintLanguageChoice() {
    }

    /** The code asked for by {@code ?lang=}, or {@code null} when the parameter is absent or blank. */
    public static String requested(String lang) {
        if (lang == null || lang.isBlank()) {
            return null;
        }
        if (!CODES.contains(lang)) {
            throw DomainErrors.badRequest("lang: must be vi or en", new FieldError("lang", "must be vi or en"));
        }
        return lang;
    }

    /** The first of the browser's Accept-Language ranges that we print in, or {@code null}. */
    public static String fromAcceptLanguage(String acceptLanguage) {
        if (acceptLanguage == null) {
            return null;
        }
        for (String range : acceptLanguage.split(",")) {
            String tag = range.split(";")[0].trim().toLowerCase(Locale.ROOT);
            for (String code : CODES) {
                if (tag.startsWith(code)) {
                    return code;
                }
            }
        }
        return null;
    }
}
