package org.citizenreception.control.pdf;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * One PDF/A-2b document (ISO 19005-2, level B) laid out top to bottom on A4 pages: DejaVu Sans
 * embedded (full Vietnamese coverage, freely licensed: fonts/DejaVuSans-LICENSE.txt), an sRGB
 * output intent (PDF/A requires one for device colour) and XMP metadata naming the conformance.
 * Apache PDFBox does the writing. Not thread-safe: one document, one caller.
 */
public final class ArchivalPdf implements AutoCloseable {
    public static final float BODY = 9;
    public static final float HEADING = 11;
    public static final float TITLE = 14;
    private static final float MARGIN = 50;
    private static final float LEADING = 1.35f;

    private final PDDocument doc = new PDDocument();
    private final PDType0Font font;
    private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private PDPageContentStream page;
    private float y;

    public ArchivalPdf() throws IOException {
        try (InputStream fontData = font()) {
            this.font = PDType0Font.load(doc, fontData, true);
        } catch (IOException | RuntimeException e) {
            doc.close();
            throw e;
        }
        newPage();
    }

    /** {@code text} wrapped at word boundaries, {@code indent} points from the left margin. */
    public void paragraph(String text, float size, float indent) throws IOException {
        for (String line : wrap(text, size, width - indent)) {
            if (y - size * LEADING < MARGIN) {
                newPage();
            }
            y -= size * LEADING;
            text(line, size, MARGIN + indent, y);
        }
    }

    public void gap(float size) {
        y -= size * 0.6f;
    }

    /**
     * Horizontal bars, one per value, each labelled on its left and numbered on its right; the
     * longest bar takes the whole width left over, so bars compare within one chart only.
     */
    public void barChart(List<String> labels, List<Long> values, List<Color> colours) throws IOException {
        float bar = BODY * 1.2f;
        float step = bar + 4;
        float labelWidth = 0;
        for (String l : labels) {
            labelWidth = Math.max(labelWidth, font.getStringWidth(l) / 1000 * BODY);
        }
        float left = MARGIN + labelWidth + 8;
        float span = width - labelWidth - 8 - 40;
        long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
        if (y - step * labels.size() < MARGIN) {
            newPage();
        }
        for (int i = 0; i < labels.size(); i++) {
            y -= step;
            text(labels.get(i), BODY, MARGIN, y + 2);
            float length = max == 0 ? 0 : span * values.get(i) / max;
            page.setNonStrokingColor(colours.get(i % colours.size()));
            page.addRect(left, y, Math.max(length, 0.5f), bar);
            page.fill();
            page.setNonStrokingColor(Color.BLACK);
            text(String.valueOf(values.get(i)), BODY, left + length + 4, y + 2);
        }
        gap(BODY);
    }

    /** The finished file, in {@code languageCode}, titled {@code title} in its metadata. */
    public byte[] finish(String title, String languageCode) throws IOException {
        page.close();
        conformance(title);
        doc.getDocumentCatalog().setLanguage(languageCode);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        doc.close();
    }

    private void text(String line, float size, float x, float atY) throws IOException {
        page.beginText();
        page.setFont(font, size);
        page.newLineAtOffset(x, atY);
        page.showText(line);
        page.endText();
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

    private static InputStream font() {
        InputStream in = ArchivalPdf.class.getClassLoader().getResourceAsStream("fonts/DejaVuSans.ttf");
        if (in == null) {
            throw new IllegalStateException("fonts/DejaVuSans.ttf is missing from the build");
        }
        return in;
    }

    /** XMP (PDF/A-2b identification, title) and the sRGB output intent. */
    private void conformance(String title) throws IOException {
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
}
