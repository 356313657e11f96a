package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Random bytes from the wire never make the RTP views, rewriter or RTX helpers throw. */
@ExtendWith(NoLeaks.class)
class RtpRandomBytesTest {
    private static final byte[] ARBITRARY_ID_MAP = new byte[256];

    static {
        for (int id = 0; id < 256; id++) {
            ARBITRARY_ID_MAP[id] = (byte) (id < 16 ? id : 255 - id % 15);
        }
    }

    @Test
    void randomPacketsNeverThrowAndNeverLeak() {
        Random random = new Random(11);
        FakeNanoClock clock = new FakeNanoClock();
        SlotRewriter rewriter = SlotRewriter.forVideo(1, 90_000, clock);
        VideoCodec[] codecs = VideoCodec.values();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) (0x80 | (bytes[0] & 0x3f)); // version 2, random P/X/CC
            }
            if (bytes.length > 15 && random.nextBoolean()) {
                bytes[12] = (byte) 0xBE; // one-byte extension profile
                bytes[13] = (byte) 0xDE;
            }
            ByteBuf buf = Bytes.untracked(bytes.length + 1).writeBytes(bytes);
            VideoCodec codec = codecs[round % codecs.length];
            RtcpOrRtp.isRtcp(buf);
            if (RtpHeader.isValid(buf)) {
                RtpHeader.payloadLength(buf);
                rewriter.switchTo(RtpHeader.ssrc(buf), codec);
            }
            for (int id = 1; id <= 15; id++) {
                HeaderExtensionValues.audioLevel(buf, id);
                HeaderExtensionValues.mid(buf, id);
                HeaderExtensionValues.setTransportSequenceNumber(buf, id, 7);
            }
            RtpHeaderExtensions.remapIds(buf, ARBITRARY_ID_MAP);
            Keyframes.isKeyframeStart(codec, buf);
            Vp8PayloadDescriptor.pictureId(buf, 0, buf.readableBytes());
            Vp8PayloadDescriptor.setTl0PicIdx(buf, 0, buf.readableBytes(), 3);
            rewriter.rewrite(buf);
            rewriter.rewriteRetransmission(buf);
            ByteBuf rtx = RtxPacketizer.wrap(PooledByteBufAllocator.DEFAULT, buf, 2, 97, round);
            if (rtx != null) {
                assertThat(RtxPacketizer.unwrap(rtx, 3, 96)).as("an RTX packet always carries its OSN").isTrue();
                rtx.release();
            }
            assertThat(buf.release()).isTrue();
        }
    }
}
