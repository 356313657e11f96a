package org.citizenreception.client.dtls;

import org.jitsi.srtp.SrtpPolicy;

/** The DTLS-SRTP protection profiles we offer, in our order of preference (RFC 5764 4.1.2, RFC 7714 14.2). */
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

    public int id() {
        return id;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public int saltBytes() {
        return saltBytes;
    }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    static int[] ids() {
        return new int[] {AEAD_AES_128_GCM.id, AES_CM_128_HMAC_SHA1_80.id};
    }

    /** A fresh policy; the sender side allows re-protecting nothing twice, so replay checks stay on. */
    public SrtpPolicy newPolicy() {
        return this == AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyBytes, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, saltBytes)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyBytes, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10,
                        saltBytes);
    }
}
