package org.citizenreception.media.ice;

import java.nio.charset.StandardCharsets;

/**
 * One endpoint's ICE state as the agent sees it: the local credentials that authenticate its
 * binding requests and the listener to tell. The remote ufrag is checked when known (it is the
 * second half of USERNAME); an ICE restart replaces the whole session.
 */
public final class IceSession {
    private final IceCredentials local;
    private final String remoteUfrag;
    private final byte[] key;
    private final IceListener listener;

    public IceSession(IceCredentials local, String remoteUfrag, IceListener listener) {
        this.local = local;
        this.remoteUfrag = remoteUfrag;
        this.key = local.password().getBytes(StandardCharsets.UTF_8);
        this.listener = listener;
    }

    public IceCredentials local() {
        return local;
    }

    public String remoteUfrag() {
        return remoteUfrag;
    }

    /** The MESSAGE-INTEGRITY key: the password itself, for short-term credentials (RFC 8489 9.1.1). */
    byte[] key() {
        return key;
    }

    IceListener listener() {
        return listener;
    }
}
