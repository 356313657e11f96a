package org.citizenreception.control.media;

/** No media bridge can take an endpoint now (none registered, all draining or dead, or the chosen one failed to answer). */
public final class BridgeUnavailableException extends RuntimeException {
    public BridgeUnavailableException(String message) {
        super(message);
    }

    public BridgeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
