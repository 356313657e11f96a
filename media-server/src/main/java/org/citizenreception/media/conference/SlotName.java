package org.citizenreception.media.conference;

/** The stage's slots: the host's stream and the stream of the room that has the floor. */
public enum SlotName {
    MAIN, GUEST;

    public String streamId() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
