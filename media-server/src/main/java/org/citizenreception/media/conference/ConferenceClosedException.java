package org.citizenreception.media.conference;

/** A conference or endpoint was used after {@code close()}. */
public final class ConferenceClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ConferenceClosedException(String message) {
        super(message);
    }
}
