package org.citizenreception.control.media;

/**
 * How room screens lay out the stage while content (a shared screen) is on it; the host chooses.
 * Without a share every layout shows the speaker alone.
 */
public enum StageLayout {
    /** The speaker full frame; a share is not shown (the host talks about it before showing it). */
    SPEAKER_ONLY,
    /** The shared content large and the speaker beside it: the default, so a share is seen at once. */
    CONTENT_BESIDE_SPEAKER,
    /** The shared content full frame, the speaker heard only (a map or a decision read line by line). */
    CONTENT_INSTEAD_OF_SPEAKER
}
