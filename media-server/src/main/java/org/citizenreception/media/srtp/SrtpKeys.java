package org.citizenreception.media.srtp;

import java.util.Arrays;

/**
 * SRTP master keys and salts for one DTLS association, split into the bridge's (local, used to
 * protect what it sends) and the peer's (remote, used to unprotect what it receives).
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    /**
     * Splits keying material exported with label "EXTRACTOR-dtls_srtp" (RFC 5764 4.2):
     * client key, server key, client salt, server salt.
     *
     * @param localIsServer true when the bridge is the DTLS server
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, boolean localIsServer) {
        if (material.length != profile.keyingMaterialBytes()) {
            throw new IllegalArgumentException("keying material must be " + profile.keyingMaterialBytes()
                    + " bytes, was " + material.length);
        }
        int k = profile.keyBytes();
        int s = profile.saltBytes();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return localIsServer
                ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }
}
