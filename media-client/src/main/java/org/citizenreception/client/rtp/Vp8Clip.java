package org.citizenreception.client.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real VP8 frames read from an IVF file (the container {@code ffmpeg -c:v libvpx -f ivf} writes), for a
 * publisher whose video a real decoder accepts: a libwebrtc viewer that cannot decode asks for a
 * keyframe every 200 ms, and the keyframes that follow would dwarf the cost being measured.
 * Immutable after loading; the frames are shared by every publisher that plays the clip.
 */
public final class Vp8Clip {
    private static final int FILE_HEADER_BYTES = 32;
    private static final int FRAME_HEADER_BYTES = 12;

    private final List<byte[]> frames;
    private final int width;
    private final int height;

    private Vp8Clip(List<byte[]> frames, int width, int height) {
        this.frames = frames;
        this.width = width;
        this.height = height;
    }

    /** Reads every frame; the first must be a keyframe, as the clip is looped and restarted on keyframe requests. */
    public static Vp8Clip read(Path ivf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ivf)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < FILE_HEADER_BYTES || b.getInt(0) != 0x46494B44 /* "DKIF" */ || b.getInt(8) != 0x30385056 /* "VP80" */) {
            throw new IOException("not a VP8 IVF file: " + ivf);
        }
        int width = b.getShort(12) & 0xFFFF;
        int height = b.getShort(14) & 0xFFFF;
        int at = b.getShort(6) & 0xFFFF;
        List<byte[]> frames = new ArrayList<>();
        while (at + FRAME_HEADER_BYTES <= b.limit()) {
            int size = b.getInt(at);
            at += FRAME_HEADER_BYTES;
            if (size <= 0 || at + size > b.limit()) {
                break;
            }
            byte[] frame = new byte[size];
            b.get(at, frame);
            frames.add(frame);
            at += size;
        }
        if (frames.isEmpty() || !isKeyframe(frames.get(0))) {
            throw new IOException("the clip must start with a keyframe: " + ivf);
        }
        return new Vp8Clip(List.copyOf(frames), width, height);
    }

    /** RFC 6386 9.1: the frame tag's P bit is 0 on a keyframe. */
    public static boolean isKeyframe(byte[] frame) {
        return frame.length > 0 && (frame[0] & 0x01) == 0;
    }

    public int frameCount() {
        return frames.size();
    }

    public byte[] frame(int index) {
        return frames.get(index);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Mean bitrate at {@code framesPerSecond}. */
    public long bitrateBps(int framesPerSecond) {
        long bytes = 0;
        for (byte[] f : frames) {
            bytes += f.length;
        }
        return bytes * 8 * framesPerSecond / frames.size();
    }
}
