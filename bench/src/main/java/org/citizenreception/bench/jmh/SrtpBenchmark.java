package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.srtp.SrtpKeys;
import org.citizenreception.media.srtp.SrtpProfile;
import org.citizenreception.media.srtp.SrtpTransformer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SRTP on a 1,200-byte packet with each profile the bridge negotiates. {@code protect} is the
 * per-viewer cost on the send path (copy into the viewer's buffer, then encrypt); {@code
 * protectThenUnprotect} adds the once-per-incoming-packet decryption, so unprotect ≈ the difference.
 * Sequence numbers advance every call because the receiver's replay check refuses a repeat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public String profile;

    private SrtpTransformer sender;
    private SrtpTransformer receiver;
    private ByteBuf template;
    private ByteBuf work;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile p = SrtpProfile.valueOf(profile);
        byte[] material = new byte[p.keyingMaterialBytes()];
        new Random(7).nextBytes(material);
        sender = new SrtpTransformer(SrtpKeys.fromKeyingMaterial(p, material, true));
        receiver = new SrtpTransformer(SrtpKeys.fromKeyingMaterial(p, material, false));
        template = Packets.vp8(0, 0, 0, false);
        // The bridge encrypts in pooled heap buffers: jitsi-srtp works on byte arrays.
        work = template.alloc().heapBuffer(Packets.PACKET_BYTES + 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        template.release();
        work.release();
        sender.close();
        receiver.close();
    }

    private ByteBuf nextPacket() {
        work.clear().writeBytes(template, template.readerIndex(), template.readableBytes());
        seq = (seq + 1) & 0xffff;
        RtpHeader.setSequenceNumber(work, seq);
        RtpHeader.setTimestamp(work, seq * 3000);
        return work;
    }

    @Benchmark
    public boolean protect() {
        return sender.protectRtp(nextPacket());
    }

    @Benchmark
    public boolean protectThenUnprotect() {
        ByteBuf packet = nextPacket();
        return sender.protectRtp(packet) && receiver.unprotectRtp(packet);
    }
}
