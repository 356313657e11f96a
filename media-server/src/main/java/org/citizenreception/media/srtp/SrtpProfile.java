package org.citizenreception.media.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The DTLS-SRTP protection profiles the bridge negotiates (RFC 5764 4.1.2, RFC 7714 14.2), in
 * order of preference: AES-GCM authenticates and encrypts in one pass and its tag is only 6 bytes
 * longer, so it costs less CPU per forwarded packet than AES-CM plus HMAC-SHA1.
 */
public enum SrtpProfile {
    AEAD_AES_128_GCM(0x0007, 16, 12),
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyBytes;
    private final int saltBytes;

    SrtpProfile(int id, int keyBytes, int saltBytes) {
        this.id = id;
        this.keyBytes = keyBytes;
        this.saltBytes = saltBytes;
    }

    /** The IANA "DTLS-SRTP Protection Profile" value carried in use_srtp. */
    public int id() {
        return id;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public int saltBytes() {
        return saltBytes;
    }

    /** Bytes of keying material to export: a key and a salt for each side (RFC 5764 4.2). */
    public int keyingMaterialBytes() {
        return 2 * (keyBytes + saltBytes);
    }

    /** Bytes an SRTP packet grows by when protected (the auth tag). */
    public int tagBytes() {
        return this == AEAD_AES_128_GCM ? 16 : 10;
    }

    /** The first profile of ours (in preference order) among {@code offeredIds}, or null. */
    public static SrtpProfile choose(int[] offeredIds) {
        for (SrtpProfile profile : values()) {
            for (int offered : offeredIds) {
                if (offered == profile.id) {
                    return profile;
                }
            }
        }
        return null;
    }

    SrtpPolicy newPolicy() {
        SrtpPolicy policy = this == AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyBytes, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, saltBytes)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyBytes, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10,
                        saltBytes);
        // The bridge re-sends packets it already sent (NACK answers): a send-side replay check would refuse them.
        policy.setSendReplayEnabled(false);
        return policy;
    }
}
