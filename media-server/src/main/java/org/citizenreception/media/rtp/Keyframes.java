package org.citizenreception.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Recognises the first packet of a keyframe, the only place a viewer's decoder can start and the
 * only place a slot may switch to a new video source.
 *
 * <ul>
 *   <li>VP8: {@link Vp8PayloadDescriptor#isKeyframeStart} (RFC 7741 section 4.3).</li>
 *   <li>H.264 (RFC 6184 section 5): a single NAL unit of type IDR (5) or SPS (7); a STAP-A (24)
 *       aggregating one; a FU-A (28) whose start bit is set for one. libwebrtc sends SPS and PPS
 *       ahead of every IDR, so SPS counts as the start.</li>
 *   <li>VP9 (draft-ietf-payload-vp9-16 section 4.2), best effort: P (inter-picture predicted)
 *       clear, B (beginning of frame) set, and spatial layer 0 when layer indices are present.</li>
 * </ul>
 * Malformed payloads are never keyframes.
 */
public final class Keyframes {
    private static final int H264_IDR = 5;
    private static final int H264_SPS = 7;
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;

    private Keyframes() {
    }

    /** Whether the RTP packet at {@code readerIndex()} starts a keyframe of {@code codec}. */
    public static boolean isKeyframeStart(VideoCodec codec, ByteBuf rtpPacket) {
        int payloadOffset = RtpHeader.payloadOffset(rtpPacket);
        if (payloadOffset < 0) {
            return false;
        }
        int at = rtpPacket.readerIndex() + payloadOffset;
        int length = RtpHeader.payloadLength(rtpPacket);
        switch (codec) {
            case VP8:
                return Vp8PayloadDescriptor.isKeyframeStart(rtpPacket, at, length);
            case H264:
                return isH264KeyframeStart(rtpPacket, at, length);
            case VP9:
                return isVp9KeyframeStart(rtpPacket, at, length);
            default:
                return false;
        }
    }

    static boolean isH264KeyframeStart(ByteBuf buf, int at, int length) {
        if (length < 1) {
            return false;
        }
        int type = buf.getByte(at) & 0x1f;
        if (type == H264_IDR || type == H264_SPS) {
            return true;
        }
        if (type == H264_FU_A) {
            if (length < 2) {
                return false;
            }
            int fuHeader = buf.getByte(at + 1);
            int fuType = fuHeader & 0x1f;
            return (fuHeader & 0x80) != 0 && (fuType == H264_IDR || fuType == H264_SPS);
        }
        if (type == H264_STAP_A) {
            int end = at + length;
            int nal = at + 1;
            while (nal + 2 < end) {
                int size = buf.getUnsignedShort(nal);
                if (size == 0 || nal + 2 + size > end) {
                    return false;
                }
                int nalType = buf.getByte(nal + 2) & 0x1f;
                if (nalType == H264_IDR || nalType == H264_SPS) {
                    return true;
                }
                nal += 2 + size;
            }
        }
        return false;
    }

    static boolean isVp9KeyframeStart(ByteBuf buf, int at, int length) {
        if (length < 1) {
            return false;
        }
        int first = buf.getByte(at);
        boolean pictureId = (first & 0x80) != 0;
        boolean interPredicted = (first & 0x40) != 0;
        boolean layerIndices = (first & 0x20) != 0;
        boolean beginningOfFrame = (first & 0x08) != 0;
        if (interPredicted || !beginningOfFrame) {
            return false;
        }
        if (!layerIndices) {
            return true;
        }
        int layerIndex = at + 1;
        if (pictureId) {
            if (length < 2) {
                return false;
            }
            layerIndex += (buf.getByte(at + 1) & 0x80) != 0 ? 2 : 1;
        }
        if (layerIndex >= at + length) {
            return false;
        }
        return ((buf.getByte(layerIndex) >>> 1) & 0x07) == 0;
    }
}
