package org.citizenreception.control.session;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * Draws a QR code as a small SVG document: one path, one unit per module, the quiet zone
 * included, so the browser scales it to any print size without blurring.
 *
 * <p>Encoding is ZXing's (the reference Java implementation, maintained, no AWT dependency);
 * drawing to SVG here is a loop over its bit matrix. Error correction M (15 %) survives a
 * creased or smudged printed sheet while keeping a 150-character join link at version 8 or below.
 */
public final class QrCodeSvg {
    private static final int QUIET_ZONE_MODULES = 4;

    private QrCodeSvg() {
    }

    /** @throws IllegalArgumentException when {@code text} is empty or too long for one QR code */
    public static String of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("text: a QR code needs something to encode");
        }
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.MARGIN, QUIET_ZONE_MODULES,
                    EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("text: too long for a QR code (" + text.length() + " characters)", e);
        }
        int w = m.getWidth();
        int hgt = m.getHeight();
        StringBuilder path = new StringBuilder(w * hgt);
        for (int y = 0; y < hgt; y++) {
            int x = 0;
            while (x < w) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int run = 1;
                while (x + run < w && m.get(x + run, y)) {
                    run++;
                }
                path.append('M').append(x).append(' ').append(y).append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + ' ' + hgt + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + w + "\" height=\"" + hgt + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
