package org.citizenreception.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SRTP protect, the costliest step a viewer's copy goes through: the transformer's reused array view
 * and its cache of the last SSRC's context must not mix up streams, and must leave per packet only
 * what jitsi-srtp itself allocates.
 */
class SrtpProtectAllocationTest {
    private static final int ITERATIONS = 100_000;
    private static final int SSRC_A = 0x0A0B0C0D;
    private static final int SSRC_B = 0x11223344;
    /**
     * jitsi-srtp's own per-packet garbage with AES-GCM (a GCMParameterSpec and copies of its IV, 192
     * bytes measured on JDK 17); the array view and a boxed SSRC per packet, which this transformer
     * no longer makes, were 32 more.
     */
    private static final long JITSI_GCM_BYTES_PER_PACKET = 192;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void interleavedStreamsAreProtectedAsIfEachHadItsOwnTransformer(SrtpProfile profile) {
        SrtpTransformer interleaved = new SrtpTransformer(keys(profile, true));
        SrtpTransformer onlyA = new SrtpTransformer(keys(profile, true));
        SrtpTransformer onlyB = new SrtpTransformer(keys(profile, true));
        SrtpTransformer viewer = new SrtpTransformer(keys(profile, false));
        for (int sequence = 0; sequence < 5; sequence++) {
            for (int ssrc : new int[] {SSRC_A, SSRC_B}) {
                ByteBuf mixed = packet(ssrc, sequence, 200);
                ByteBuf alone = packet(ssrc, sequence, 200);
                try {
                    assertThat(interleaved.protectRtp(mixed)).isTrue();
                    assertThat((ssrc == SSRC_A ? onlyA : onlyB).protectRtp(alone)).isTrue();
                    assertThat(ByteBufUtil.equals(mixed, alone)).as("ssrc %x packet %d", ssrc, sequence).isTrue();
                    assertThat(mixed.readableBytes()).isEqualTo(12 + 200 + profile.tagBytes());
                    assertThat(viewer.unprotectRtp(mixed)).as("the viewer authenticates it").isTrue();
                    assertThat(ByteBufUtil.equals(mixed, packet(ssrc, sequence, 200))).isTrue();
                } finally {
                    mixed.release();
                    alone.release();
                }
            }
        }
    }

    @Test
    void protectLeavesOnlyJitsiSrtpsOwnGarbage() {
        SrtpTransformer srtp = new SrtpTransformer(keys(SrtpProfile.AEAD_AES_128_GCM, true));
        ByteBuf packet = Unpooled.buffer(1300);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        protectRepeatedly(srtp, packet, 0); // warm-up: contexts derived, code compiled
        long before = threads.getThreadAllocatedBytes(thread);
        protectRepeatedly(srtp, packet, ITERATIONS);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated / (double) ITERATIONS).as("bytes allocated per protected packet")
                .isLessThanOrEqualTo(JITSI_GCM_BYTES_PER_PACKET + 4);
    }

    /** Protects 1200-byte packets alternately on two SSRCs, as a viewer's audio and video copies come. */
    private static void protectRepeatedly(SrtpTransformer srtp, ByteBuf packet, int start) {
        for (int i = start; i < start + ITERATIONS; i++) {
            packet.clear();
            writeHeader(packet, (i & 7) == 0 ? SSRC_B : SSRC_A, i);
            packet.writeZero(1200);
            if (!srtp.protectRtp(packet)) {
                throw new AssertionError("protect failed at " + i);
            }
        }
    }

    private static ByteBuf packet(int ssrc, int sequence, int payload) {
        ByteBuf packet = Unpooled.buffer(12 + payload + 16);
        writeHeader(packet, ssrc, sequence);
        for (int i = 0; i < payload; i++) {
            packet.writeByte(i * 31 + sequence);
        }
        return packet;
    }

    private static void writeHeader(ByteBuf packet, int ssrc, int sequence) {
        packet.writeByte(0x80).writeByte(96).writeShort(sequence & 0xFFFF).writeInt(sequence * 3000).writeInt(ssrc);
    }

    private static SrtpKeys keys(SrtpProfile profile, boolean bridge) {
        byte[] material = new byte[profile.keyingMaterialBytes()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        return SrtpKeys.fromKeyingMaterial(profile, material, bridge);
    }
}
