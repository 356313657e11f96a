package org.citizenreception.control.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** What tests read of the PDFs the app prints: the text PDFBox extracts, and veraPDF's PDF/A-2b verdict. */
public final class PdfFiles {
    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private PdfFiles() {
    }

    public static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** Fails naming every clause veraPDF found broken. */
    public static void assertPdfA2b(byte[] pdf) throws Exception {
        ValidationResult result;
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), PDFAFlavour.PDFA_2_B)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_2_B, false);
            result = validator.validate(parser);
        }
        String failures = result.getTestAssertions().stream().filter(a -> a.getStatus() != TestAssertion.Status.PASSED)
                .map(a -> a.getRuleId().getClause() + " " + a.getMessage()).distinct().collect(Collectors.joining("\n"));
        assertThat(result.isCompliant()).as("veraPDF PDF/A-2b:\n%s", failures).isTrue();
    }
}
