package org.citizenreception.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citizenreception.media.rtp.Bytes.hex;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class KeyframesTest {
    private static final String RTP_HEADER = "80600001 00000000 00000001";

    @Test
    void vp8KeyframeAndInterframe() {
        assertKeyframe(VideoCodec.VP8, "90e0abcd2b40 5042009d012a", true);
        assertKeyframe(VideoCodec.VP8, "90e0abcd2b40 3142", false);
    }

    @Test
    void h264SingleNalIdrOrSpsStartsAKeyframe() {
        assertKeyframe(VideoCodec.H264, "65 888480", true);   // IDR slice
        assertKeyframe(VideoCodec.H264, "67 42c01f", true);   // SPS
        assertKeyframe(VideoCodec.H264, "41 9a0203", false);  // non-IDR slice
        assertKeyframe(VideoCodec.H264, "68 ce3c80", false);  // PPS alone
    }

    @Test
    void h264StapAWithSpsAndPpsStartsAKeyframe() {
        // STAP-A: [len 4] SPS, [len 3] PPS.
        assertKeyframe(VideoCodec.H264, "78 0004 6742c01f 0003 68ce3c", true);
        assertKeyframe(VideoCodec.H264, "78 0003 68ce3c 0003 419a02", false);
        assertKeyframe(VideoCodec.H264, "78 0009 6742", false); // size runs past the packet
    }

    @Test
    void h264FuAOnlyItsStartCounts() {
        assertKeyframe(VideoCodec.H264, "7c 85 888480", true);  // FU-A start of IDR
        assertKeyframe(VideoCodec.H264, "7c 05 888480", false); // middle of IDR
        assertKeyframe(VideoCodec.H264, "7c 81 9a0203", false); // start of non-IDR
        assertKeyframe(VideoCodec.H264, "7c", false);           // truncated
    }

    @Test
    void vp9KeyframeIsNotInterPredictedAndBeginsAFrame() {
        assertKeyframe(VideoCodec.VP9, "88 1234", true);          // B set, P clear
        assertKeyframe(VideoCodec.VP9, "c8 8001", false);         // P set
        assertKeyframe(VideoCodec.VP9, "84 8001", false);         // end of frame only
        assertKeyframe(VideoCodec.VP9, "a8 8001 00 00", true);    // I + L, spatial layer 0
        assertKeyframe(VideoCodec.VP9, "a8 8001 02 00", false);   // spatial layer 1
        assertKeyframe(VideoCodec.VP9, "a8 80", false);           // truncated
    }

    @Test
    void malformedRtpIsNeverAKeyframe() {
        ByteBuf buf = hex("8060");
        assertThat(Keyframes.isKeyframeStart(VideoCodec.VP8, buf)).isFalse();
        buf.release();
        assertKeyframe(VideoCodec.VP8, "", false);
        assertKeyframe(VideoCodec.H264, "", false);
        assertKeyframe(VideoCodec.VP9, "", false);
    }

    private static void assertKeyframe(VideoCodec codec, String payloadHex, boolean expected) {
        ByteBuf buf = hex(RTP_HEADER + payloadHex);
        assertThat(Keyframes.isKeyframeStart(codec, buf)).as("%s %s", codec, payloadHex).isEqualTo(expected);
        assertThat(buf.release()).isTrue();
    }
}
