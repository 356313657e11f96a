package org.citizenreception.media.sdp;

/**
 * What an m-line, a source or a slot carries. An enum so the per-packet and per-slot code compares
 * references, and a misspelt kind is a compile error rather than a slot that never fills.
 */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The token of an SDP m-line ({@code m=audio ...}) and of stream labels. */
    public String sdpName() {
        return sdpName;
    }

    /** The kind of an m-line's media token, or null for one the bridge does not carry ("application"). */
    public static MediaKind fromSdp(String token) {
        for (MediaKind kind : values()) {
            if (kind.sdpName.equals(token)) {
                return kind;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return sdpName;
    }
}
