package org.citizenreception.client.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vp8ClipTest {
    @TempDir
    Path dir;

    @Test
    void framesAreReadInOrderFromAnIvfFile() throws IOException {
        Path ivf = ivf(new byte[] {0x10, 1, 2, 3}, new byte[] {0x11, 4});

        Vp8Clip clip = Vp8Clip.read(ivf);

        assertThat(clip.frameCount()).isEqualTo(2);
        assertThat(clip.width()).isEqualTo(640);
        assertThat(clip.height()).isEqualTo(360);
        assertThat(clip.frame(0)).containsExactly(0x10, 1, 2, 3);
        assertThat(Vp8Clip.isKeyframe(clip.frame(0))).isTrue();
        assertThat(Vp8Clip.isKeyframe(clip.frame(1))).isFalse();
        assertThat(clip.bitrateBps(30)).isEqualTo(3L * 8 * 30);
    }

    @Test
    void aClipThatDoesNotStartWithAKeyframeIsRefused() throws IOException {
        Path ivf = ivf(new byte[] {0x11, 4});

        assertThatThrownBy(() -> Vp8Clip.read(ivf)).isInstanceOf(IOException.class).hasMessageContaining("keyframe");
    }

    private Path ivf(byte[]... frames) throws IOException {
        int size = 32;
        for (byte[] f : frames) {
            size += 12 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put("DKIF".getBytes()).putShort((short) 0).putShort((short) 32).put("VP80".getBytes())
                .putShort((short) 640).putShort((short) 360).putInt(30).putInt(1).putInt(frames.length).putInt(0);
        long pts = 0;
        for (byte[] f : frames) {
            b.putInt(f.length).putLong(pts++).put(f);
        }
        Path path = dir.resolve("clip.ivf");
        Files.write(path, b.array());
        return path;
    }
}
