package org.citizenreception.media.conference;

/**
 * The stage's slots: the host's stream, the stream of the room that has the floor, and a shared
 * screen or document (video required, audio optional). A viewer's m-line pairs map to the slots in
 * this order, so a new slot goes last: viewers that offer fewer pairs are unaffected.
 */
public enum SlotName {
    MAIN, GUEST, CONTENT;

    public String streamId() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
