package org.citizenreception.media.dtls;

import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * bctls's lightweight crypto for one handshake, with AES-GCM records multiplied without tables.
 *
 * <p>bctls's default GCM keeps a 4K-entry table (about 9 KB of {@code long[]}) per direction, and
 * a DTLS association is kept for as long as its viewer stays (retransmitted Finished, alerts):
 * 18 KB of a viewer's ~90 KB of heap for records that, once SRTP runs, carry at most an alert.
 * Without tables a record costs a few microseconds more, which nothing here notices.
 */
final class DtlsCrypto extends BcTlsCrypto {
    DtlsCrypto() {
        super(new SecureRandom());
    }

    @Override
    protected AEADBlockCipher createGCMMode(BlockCipher engine) {
        return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
    }
}
