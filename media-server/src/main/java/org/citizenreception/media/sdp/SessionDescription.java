package org.citizenreception.media.sdp;

import java.util.ArrayList;
import java.util.List;

/** A parsed SDP document: session-level attributes and the m-sections, in order. */
public final class SessionDescription {
    private final List<String[]> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    void addAttribute(String name, String value) {
        attributes.add(new String[] {name, value});
    }

    void addMedia(MediaDescription description) {
        media.add(description);
    }

    public List<MediaDescription> media() {
        return List.copyOf(media);
    }

    /** The first session-level {@code a=name} value, or null. */
    public String attribute(String name) {
        for (String[] attribute : attributes) {
            if (attribute[0].equals(name)) {
                return attribute[1];
            }
        }
        return null;
    }

    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (String[] attribute : attributes) {
            if (attribute[0].equals(name)) {
                values.add(attribute[1]);
            }
        }
        return values;
    }

    /** The media-level value if present, else the session-level one (RFC 8866 attribute scoping). */
    public String attribute(MediaDescription media, String name) {
        String value = media.attribute(name);
        return value != null ? value : attribute(name);
    }
}
