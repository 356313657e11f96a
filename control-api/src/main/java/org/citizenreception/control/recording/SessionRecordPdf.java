package org.citizenreception.control.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.citizenreception.control.pdf.ArchivalPdf;

/** Prints a {@link SessionRecord} as PDF/A-2b for filing, through {@link ArchivalPdf}. */
final class SessionRecordPdf {
    private SessionRecordPdf() {
    }

    static byte[] render(SessionRecord record) {
        try (ArchivalPdf w = new ArchivalPdf()) {
            w.paragraph(record.title(), ArchivalPdf.TITLE, 0);
            w.paragraph(record.sessionNumber(), ArchivalPdf.BODY, 0);
            w.gap(ArchivalPdf.BODY);
            for (SessionRecord.Section section : record.sections()) {
                w.paragraph(section.heading(), ArchivalPdf.HEADING, 0);
                for (List<String> row : section.rows()) {
                    w.paragraph("• " + String.join("  |  ", row), ArchivalPdf.BODY, 10);
                }
                w.gap(ArchivalPdf.BODY);
            }
            return w.finish(record.title(), record.language().code());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the session record of session " + record.sessionId(), e);
        }
    }
}
