package org.citizenreception.media.rtp;

/** The video codecs whose payloads the bridge inspects for keyframes. */
public enum VideoCodec {
    VP8,
    VP9,
    H264
}
