package org.citizenreception.control.message;

/**
 * The one-press messages of the room console. Sent as a code, not as text, so each console shows
 * it in its own language and the host can tell a technical fault from a question at a glance.
 */
public enum QuickMessage {
    NO_SOUND,
    NO_PICTURE,
    CITIZEN_HERE,
    READY_TO_SPEAK
}
