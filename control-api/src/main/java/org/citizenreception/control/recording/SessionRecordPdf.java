package org.citizenreception.control.recording;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.xml.XmpSerializer;

/**
 * Prints a {@link SessionRecord} as PDF/A-2b (ISO 19005-2, level B) for filing: DejaVu Sans
 * embedded (full Vietnamese coverage, freely licensed: fonts/DejaVuSans-LICENSE.txt), an sRGB
 * output intent, and XMP metadata naming the conformance. Apache PDFBox does the writing.
 */
final class SessionRecordPdf {
    private static final float MARGIN = 50;
    private static final float BODY = 9;
    private static final float HEADING = 11;
    private static final float TITLE = 14;
    private static final float LEADING = 1.35f;

    private SessionRecordPdf() {
    }

    static byte[] render(SessionRecord record) {
        try (PDDocument doc = new PDDocument(); InputStream fontData = font()) {
            PDType0Font font = PDType0Font.load(doc, fontData, true);
            Writer w = new Writer(doc, font);
            w.paragraph(record.title(), TITLE, 0);
            w.paragraph(record.sessionNumber(), BODY, 0);
            w.gap(BODY);
            for (SessionRecord.Section section : record.sections()) {
                w.paragraph(section.heading(), HEADING, 0);
                for (List<String> row : section.rows()) {
                    w.paragraph("• " + String.join("  |  ", row), BODY, 10);
                }
                w.gap(BODY);
            }
            w.close();
            conformance(doc, record.title());
            doc.getDocumentCatalog().setLanguage(record.language().code());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the session record of session " + record.sessionId(), e);
        }
    }

    private static InputStream font() {
        InputStream in = SessionRecordPdf.class.getClassLoader().getResourceAsStream("fonts/DejaVuSans.ttf");
        if (in == null) {
            throw new IllegalStateException("fonts/DejaVuSans.ttf is missing from the build");
        }
        return in;
    }

    /** XMP (PDF/A-2b identification, title) and the sRGB output intent PDF/A requires for device colour. */
    private static void conformance(PDDocument doc, String title) throws IOException {
        XMPMetadata xmp = XMPMetadata.createXMPMetadata();
        DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
        dc.setTitle(title);
        PDFAIdentificationSchema id = xmp.createAndAddPDFAIdentificationSchema();
        id.setPart(2);
        try {
            id.setConformance("B");
        } catch (org.apache.xmpbox.type.BadFieldValueException e) {
            throw new IllegalStateException("xmpbox refused conformance B", e);
        }
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, xml, true);
        } catch (javax.xml.transform.TransformerException e) {
            throw new IOException("cannot write the XMP metadata", e);
        }
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(xml.toByteArray());
        doc.getDocumentCatalog().setMetadata(metadata);
        doc.getDocumentInformation().setTitle(title);

        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        PDOutputIntent intent = new PDOutputIntent(doc, new ByteArrayInputStream(icc));
        intent.setInfo("sRGB IEC61966-2.1");
        intent.setOutputCondition("sRGB IEC61966-2.1");
        intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
        intent.setRegistryName("http://www.color.org");
        doc.getDocumentCatalog().addOutputIntent(intent);
    }

    /** Lays text out top to bottom on A4 pages, wrapping at word boundaries. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType0Font font;
        private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
        private PDPageContentStream page;
        private float y;

        Writer(PDDocument doc, PDType0Font font) throws IOException {
            this.doc = doc;
            this.font = font;
            newPage();
        }

        void paragraph(String text, float size, float indent) throws IOException {
            for (String line : wrap(text, size, width - indent)) {
                if (y - size * LEADING < MARGIN) {
                    newPage();
                }
                y -= size * LEADING;
                page.beginText();
                page.setFont(font, size);
                page.newLineAtOffset(MARGIN + indent, y);
                page.showText(line);
                page.endText();
            }
        }

        void gap(float size) {
            y -= size * 0.6f;
        }

        private List<String> wrap(String text, float size, float max) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.replace('\n', ' ').replace('\t', ' ').split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > max) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        private void newPage() throws IOException {
            if (page != null) {
                page.close();
            }
            PDPage p = new PDPage(PDRectangle.A4);
            doc.addPage(p);
            page = new PDPageContentStream(doc, p);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void close() throws IOException {
            page.close();
        }
    }
}
