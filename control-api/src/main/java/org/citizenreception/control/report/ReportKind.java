package org.citizenreception.control.report;

import java.util.Arrays;
import java.util.Optional;

/** The report kinds of {@code GET /api/v1/reports/{kind}}: a custom period and the two review presets. */
public enum ReportKind {
    PERIOD("period"),
    REVIEW_FORTNIGHT("review-fortnight"),
    SIX_MONTHS("six-months");

    private final String slug;

    ReportKind(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static Optional<ReportKind> ofSlug(String slug) {
        return Arrays.stream(values()).filter(k -> k.slug.equals(slug)).findFirst();
    }
}
