package org.citizenreception.media.conference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.rtp.RtpHeader;
import org.citizenreception.media.sdp.MediaKind;

/**
 * A real bridge on a loopback port with a Chromium publisher's offer published and a viewer's
 * subscribed, nobody connected: gives the stage tests real {@link Source}s and {@link Endpoint}s
 * to drive stage by stage, with no packet arriving on the wire meanwhile.
 */
final class StageFixture implements AutoCloseable {
    /** From chromium-publisher-offer.sdp. */
    static final int AUDIO_SSRC = 158782809;
    static final int VIDEO_SSRC = 1758327792;
    static final int VIDEO_RTX_SSRC = (int) 2949504956L;
    static final int VP8 = 96;
    static final int OPUS = 111;
    static final int AUDIO_LEVEL_EXTENSION = 1;
    static final int TRANSPORT_CC_EXTENSION = 3;

    final MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
            new SimpleMeterRegistry());
    final Conference conference = bridge.createConference("stages");
    final Endpoint publisher;
    final Endpoint viewer;

    StageFixture() {
        conference.publish("host", resource("chromium-publisher-offer.sdp"), SlotName.MAIN);
        conference.subscribe("room", resource("chromium-viewer-offer.sdp"));
        publisher = conference.endpoint("host").orElseThrow();
        viewer = conference.endpoint("room").orElseThrow();
    }

    Source source(MediaKind kind) {
        return publisher.sources().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    Subscription subscription(MediaKind kind) {
        return viewer.subscriptions().stream().filter(s -> s.slot().kind() == kind).findFirst().orElseThrow();
    }

    /** A tracked pooled heap buffer (the receive path's kind) holding an RTP header and {@code payload} zero bytes. */
    static ByteBuf rtp(int payloadType, int ssrc, int sequence, int payload) {
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.heapBuffer(64 + payload);
        RtpHeader.write(packet, false, payloadType, sequence, sequence * 3000, ssrc);
        packet.writeZero(payload);
        return packet;
    }

    /** The first packet of a VP8 keyframe (S bit, partition 0, P bit clear). */
    static ByteBuf vp8KeyframeStart(int ssrc, int sequence) {
        ByteBuf packet = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        RtpHeader.write(packet, false, VP8, sequence, sequence * 3000, ssrc);
        packet.writeByte(0x10).writeByte(0x50).writeZero(20);
        return packet;
    }

    static String resource(String name) {
        try (InputStream in = StageFixture.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        bridge.close();
    }
}
