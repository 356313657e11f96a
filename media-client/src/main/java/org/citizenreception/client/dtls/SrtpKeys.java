package org.citizenreception.client.dtls;

/**
 * The SRTP master keys and salts of both directions, split from the DTLS exporter output whose
 * layout is client key, server key, client salt, server salt (RFC 5764 4.2).
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public static int materialBytes(SrtpProfile profile) {
        return 2 * (profile.keyBytes() + profile.saltBytes());
    }

    static SrtpKeys split(SrtpProfile profile, byte[] material, boolean weAreClient) {
        int k = profile.keyBytes();
        int s = profile.saltBytes();
        byte[] clientKey = java.util.Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = java.util.Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = java.util.Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = java.util.Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return weAreClient
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }
}
