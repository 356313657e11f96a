package org.citizenreception.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads SDP text line by line (CRLF or LF). Tolerant where browsers differ (unknown lines are
 * kept or skipped), strict where a wrong guess would break media (an m-line must parse).
 */
public final class SdpParser {
    /** A WebRTC offer is a few KiB; 64 KiB bounds what a client can make us parse. */
    static final int MAX_SDP_CHARS = 64 * 1024;

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) {
        if (sdp == null || sdp.length() > MAX_SDP_CHARS || !sdp.startsWith("v=0")) {
            throw new UnsupportedOfferException(UnsupportedOfferException.MALFORMED);
        }
        SessionDescription session = new SessionDescription();
        MediaDescription current = null;
        for (String rawLine : sdp.split("\r?\n")) {
            String line = rawLine.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            if (hasControlCharacter(line)) {
                // No WebRTC stack writes one, and parts of the offer (media kind, protocol, mid) are
                // echoed into our answer: a NUL or a lone CR there would be ours to send (found by fuzzing).
                throw new UnsupportedOfferException(UnsupportedOfferException.MALFORMED);
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                current = parseMediaLine(value);
                session.addMedia(current);
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                String name = colon < 0 ? value : value.substring(0, colon);
                String attrValue = colon < 0 ? "" : value.substring(colon + 1);
                if (current == null) {
                    session.addAttribute(name, attrValue);
                } else {
                    current.add(name, attrValue);
                }
            }
        }
        return session;
    }

    private static boolean hasControlCharacter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static MediaDescription parseMediaLine(String value) {
        String[] parts = value.split("\\s+");
        if (parts.length < 3) {
            throw new UnsupportedOfferException(UnsupportedOfferException.MALFORMED);
        }
        try {
            String portText = parts[1];
            int slash = portText.indexOf('/');
            int port = Integer.parseInt(slash < 0 ? portText : portText.substring(0, slash));
            List<Integer> formats = new ArrayList<>();
            for (int i = 3; i < parts.length; i++) {
                try {
                    formats.add(Integer.parseInt(parts[i]));
                } catch (NumberFormatException ignored) {
                    // "webrtc-datachannel" and other non-RTP formats
                }
            }
            return new MediaDescription(parts[0], port, parts[2], formats);
        } catch (NumberFormatException e) {
            throw new UnsupportedOfferException(UnsupportedOfferException.MALFORMED);
        }
    }
}
