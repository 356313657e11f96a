package org.citizenreception.client.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the client needs from an answer: ICE credentials, the DTLS fingerprint and setup role,
 * UDP IPv4/IPv6 candidates of component 1, and per media kind the payload types, extension ids
 * and SSRCs. Attributes may sit at session or media level; media level wins (RFC 8866 5).
 */
public final class SdpAnswer {
    /** Per m-line facts. */
    public static final class Media {
        public final String kind;
        public String mid;
        public String direction = "sendrecv";
        public final Map<String, Integer> payloadTypes = new HashMap<>();
        /** RTX payload type to the payload type it repairs (fmtp apt). */
        public final Map<Integer, Integer> rtxApt = new HashMap<>();
        public final Map<String, Integer> extmapIds = new HashMap<>();
        public final List<Long> ssrcs = new ArrayList<>();
        /** FID groups: primary SSRC to its RTX SSRC. */
        public final Map<Long, Long> fid = new HashMap<>();
        public boolean rejected;

        Media(String kind) {
            this.kind = kind;
        }

        /** The payload type for codec {@code name} (case-insensitive), or -1. */
        public int payloadType(String name) {
            return payloadTypes.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
        }

        public int extmapId(String uri) {
            return extmapIds.getOrDefault(uri, -1);
        }

        /** The RTX payload type repairing {@code pt}, or -1 when RTX was not negotiated. */
        public int rtxFor(int pt) {
            for (Map.Entry<Integer, Integer> e : rtxApt.entrySet()) {
                if (e.getValue() == pt) {
                    return e.getKey();
                }
            }
            return -1;
        }
    }

    private String ufrag;
    private String pwd;
    private String fingerprintAlgorithm;
    private String fingerprint;
    private String setup;
    private final List<InetSocketAddress> candidates = new ArrayList<>();
    private final List<Media> media = new ArrayList<>();

    private SdpAnswer() {
    }

    public static SdpAnswer parse(String sdp) {
        SdpAnswer a = new SdpAnswer();
        Media current = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                String[] f = line.substring(2).split(" ");
                current = new Media(f[0]);
                current.rejected = "0".equals(f[1]);
                a.media.add(current);
                continue;
            }
            if (!line.startsWith("a=")) {
                continue;
            }
            String attr = line.substring(2);
            int colon = attr.indexOf(':');
            String name = colon < 0 ? attr : attr.substring(0, colon);
            String value = colon < 0 ? "" : attr.substring(colon + 1);
            switch (name) {
                case "ice-ufrag" -> a.ufrag = value;
                case "ice-pwd" -> a.pwd = value;
                case "fingerprint" -> {
                    String[] f = value.split(" ", 2);
                    a.fingerprintAlgorithm = f[0].toLowerCase(Locale.ROOT);
                    a.fingerprint = f.length > 1 ? f[1].trim().toUpperCase(Locale.ROOT) : "";
                }
                case "setup" -> a.setup = value;
                case "candidate" -> a.addCandidate(value);
                case "mid" -> current(current, line).mid = value;
                case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                    if (current != null) {
                        current.direction = name;
                    }
                }
                case "rtpmap" -> {
                    String[] f = value.split(" ", 2);
                    String codec = f[1].split("/")[0].toLowerCase(Locale.ROOT);
                    current(current, line).payloadTypes.putIfAbsent(codec, Integer.parseInt(f[0]));
                }
                case "fmtp" -> {
                    String[] f = value.split(" ", 2);
                    for (String p : f.length > 1 ? f[1].split(";") : new String[0]) {
                        String[] kv = p.trim().split("=", 2);
                        if (kv.length == 2 && kv[0].equals("apt")) {
                            current(current, line).rtxApt.put(Integer.parseInt(f[0]), Integer.parseInt(kv[1].trim()));
                        }
                    }
                }
                case "extmap" -> {
                    String[] f = value.split(" ");
                    int id = Integer.parseInt(f[0].split("/")[0]);
                    current(current, line).extmapIds.put(f[1], id);
                }
                case "ssrc" -> {
                    long ssrc = Long.parseLong(value.split(" ", 2)[0]);
                    Media m = current(current, line);
                    if (!m.ssrcs.contains(ssrc)) {
                        m.ssrcs.add(ssrc);
                    }
                }
                case "ssrc-group" -> {
                    String[] f = value.split(" ");
                    if (f[0].equals("FID") && f.length >= 3) {
                        current(current, line).fid.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                    }
                }
                default -> {
                }
            }
        }
        if (a.ufrag == null || a.pwd == null) {
            throw new IllegalArgumentException("answer has no ice-ufrag/ice-pwd");
        }
        if (a.fingerprint == null) {
            throw new IllegalArgumentException("answer has no a=fingerprint");
        }
        return a;
    }

    private static Media current(Media m, String line) {
        if (m == null) {
            throw new IllegalArgumentException("media attribute before any m= line: " + line);
        }
        return m;
    }

    private void addCandidate(String value) {
        // foundation component transport priority address port typ type ...
        String[] f = value.split(" ");
        if (f.length < 8 || !f[1].equals("1") || !f[2].equalsIgnoreCase("udp")) {
            return;
        }
        if (f[4].endsWith(".local")) {
            return; // mDNS names cannot be resolved here; the peer's checks reveal its address
        }
        InetSocketAddress address = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
        if (!candidates.contains(address)) {
            candidates.add(address);
        }
    }

    public String ufrag() {
        return ufrag;
    }

    public String pwd() {
        return pwd;
    }

    public String fingerprintAlgorithm() {
        return fingerprintAlgorithm;
    }

    /** Upper-case colon-separated hex. */
    public String fingerprint() {
        return fingerprint;
    }

    /** {@code active}, {@code passive} or {@code actpass}; null when absent. */
    public String setup() {
        return setup;
    }

    /** True when the answerer takes the DTLS client role, making us the server. */
    public boolean remoteIsDtlsClient() {
        return "active".equals(setup);
    }

    public List<InetSocketAddress> candidates() {
        return candidates;
    }

    public List<Media> media() {
        return media;
    }

    /** The first m-line of {@code kind} ({@code audio}/{@code video}), or null. */
    public Media media(String kind) {
        for (Media m : media) {
            if (m.kind.equals(kind) && !m.rejected) {
                return m;
            }
        }
        return null;
    }
}
