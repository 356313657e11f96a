package org.citizenreception.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One m-section of a parsed SDP, attributes kept in order. Accessors give the attributes
 * WebRTC uses a typed view; everything else stays reachable through {@link #attributes(String)}.
 */
public final class MediaDescription {
    private final String kind;
    private final int port;
    private final String protocol;
    private final List<Integer> formats;
    private final List<String[]> attributes = new ArrayList<>();

    MediaDescription(String kind, int port, String protocol, List<Integer> formats) {
        this.kind = kind;
        this.port = port;
        this.protocol = protocol;
        this.formats = List.copyOf(formats);
    }

    void add(String name, String value) {
        attributes.add(new String[] {name, value});
    }

    /** "audio", "video" or "application". */
    public String kind() {
        return kind;
    }

    /** 0 when the offerer rejected or stopped this m-line. */
    public int port() {
        return port;
    }

    public String protocol() {
        return protocol;
    }

    public List<Integer> formats() {
        return formats;
    }

    /** Values of every {@code a=name:value} (empty string for flags) in order. */
    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (String[] attribute : attributes) {
            if (attribute[0].equals(name)) {
                values.add(attribute[1]);
            }
        }
        return values;
    }

    /** The first value of {@code a=name}, or null. */
    public String attribute(String name) {
        for (String[] attribute : attributes) {
            if (attribute[0].equals(name)) {
                return attribute[1];
            }
        }
        return null;
    }

    public boolean hasAttribute(String name) {
        return attribute(name) != null;
    }

    public String mid() {
        return attribute("mid");
    }

    /** sendrecv, sendonly, recvonly or inactive (sendrecv when absent, RFC 8866 6.7). */
    public String direction() {
        for (String d : new String[] {"sendonly", "recvonly", "inactive", "sendrecv"}) {
            if (hasAttribute(d)) {
                return d;
            }
        }
        return "sendrecv";
    }

    /** rtpmap by payload type: "opus/48000/2" etc. */
    public Map<Integer, String> rtpmaps() {
        return byPayloadType("rtpmap");
    }

    /** fmtp parameters by payload type. */
    public Map<Integer, String> fmtps() {
        return byPayloadType("fmtp");
    }

    /** rtcp-fb values by payload type ("nack", "nack pli", "ccm fir", "transport-cc", "goog-remb"). */
    public Map<Integer, List<String>> rtcpFeedback() {
        Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        for (String value : attributes("rtcp-fb")) {
            int space = value.indexOf(' ');
            if (space > 0) {
                Integer pt = parsePayloadType(value.substring(0, space));
                if (pt != null) {
                    feedback.computeIfAbsent(pt, k -> new ArrayList<>()).add(value.substring(space + 1).trim());
                }
            }
        }
        return feedback;
    }

    /** extmap URI by id. */
    public Map<Integer, String> extmaps() {
        Map<Integer, String> extmaps = new LinkedHashMap<>();
        for (String value : attributes("extmap")) {
            String[] parts = value.split("\\s+");
            if (parts.length >= 2) {
                String id = parts[0];
                int slash = id.indexOf('/');
                try {
                    extmaps.put(Integer.parseInt(slash < 0 ? id : id.substring(0, slash)), parts[1]);
                } catch (NumberFormatException ignored) {
                    // an extmap we cannot read is one we do not negotiate
                }
            }
        }
        return extmaps;
    }

    /** SSRCs in order of first appearance, each with its attributes (cname, msid, ...). */
    public Map<Long, Map<String, String>> ssrcs() {
        Map<Long, Map<String, String>> ssrcs = new LinkedHashMap<>();
        for (String value : attributes("ssrc")) {
            String[] parts = value.split(" ", 2);
            try {
                long ssrc = Long.parseLong(parts[0]);
                Map<String, String> attrs = ssrcs.computeIfAbsent(ssrc, k -> new LinkedHashMap<>());
                if (parts.length == 2) {
                    int colon = parts[1].indexOf(':');
                    if (colon > 0) {
                        attrs.put(parts[1].substring(0, colon), parts[1].substring(colon + 1));
                    } else {
                        attrs.put(parts[1], "");
                    }
                }
            } catch (NumberFormatException ignored) {
                // skip a malformed ssrc line
            }
        }
        return ssrcs;
    }

    /** {@code a=ssrc-group:FID media rtx} pairs: media SSRC to its RTX SSRC. */
    public Map<Long, Long> rtxSsrcs() {
        Map<Long, Long> pairs = new LinkedHashMap<>();
        for (String value : attributes("ssrc-group")) {
            String[] parts = value.split("\\s+");
            if (parts.length == 3 && parts[0].equals("FID")) {
                try {
                    pairs.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                } catch (NumberFormatException ignored) {
                    // skip
                }
            }
        }
        return pairs;
    }

    /** RIDs offered for sending (simulcast layers), in order. */
    public List<String> sendRids() {
        List<String> rids = new ArrayList<>();
        for (String value : attributes("rid")) {
            String[] parts = value.split("\\s+");
            if (parts.length >= 2 && parts[1].equals("send")) {
                rids.add(parts[0]);
            }
        }
        return rids;
    }

    /** The raw {@code a=simulcast} value, or null. */
    public String simulcast() {
        return attribute("simulcast");
    }

    private Map<Integer, String> byPayloadType(String name) {
        Map<Integer, String> map = new LinkedHashMap<>();
        for (String value : attributes(name)) {
            int space = value.indexOf(' ');
            if (space > 0) {
                Integer pt = parsePayloadType(value.substring(0, space));
                if (pt != null) {
                    map.putIfAbsent(pt, value.substring(space + 1).trim());
                }
            }
        }
        return map;
    }

    private static Integer parsePayloadType(String text) {
        try {
            int pt = Integer.parseInt(text);
            return pt >= 0 && pt <= 127 ? pt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
