package org.citizenreception.media.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.citizenreception.media.MediaBridge;
import org.citizenreception.media.MediaBridgeConfig;
import org.citizenreception.media.RetransmissionLimits;
import org.junit.jupiter.api.Test;

/**
 * Fast start (issue 15): the bridge answers the host's video (main slot) a start bitrate equal to its
 * ceiling, because Chromium chooses the encoder's first resolution from the start bitrate (measured
 * in HostFastStartIT: 640x360 from a 1,500-2,200 kbit/s start, mostly 1280x720 from 2,500); a room
 * taking the floor (guest slot, a commune's line) starts lower. A viewer's answer tells its sender nothing.
 */
class PublisherStartBitrateTest {
    @Test
    void theHostStartsAtTheConfiguredPublisherBitrate() {
        assertThat(videoFmtp(MediaBridgeConfig.DEFAULT_PUBLISHER_BITRATE_BPS, SlotName.MAIN))
                .isEqualTo("a=fmtp:96 x-google-start-bitrate=2500;x-google-max-bitrate=2500");
        assertThat(videoFmtp(1_200_000, SlotName.MAIN)).isEqualTo("a=fmtp:96 x-google-start-bitrate=1200;x-google-max-bitrate=1200");
    }

    @Test
    void aRoomTakingTheFloorStartsLowerOnItsCommunesLineUnderTheSameCeiling() {
        assertThat(videoFmtp(MediaBridgeConfig.DEFAULT_PUBLISHER_BITRATE_BPS, SlotName.GUEST))
                .isEqualTo("a=fmtp:96 x-google-start-bitrate=1500;x-google-max-bitrate=2500");
        assertThat(videoFmtp(1_200_000, SlotName.GUEST)).isEqualTo("a=fmtp:96 x-google-start-bitrate=1200;x-google-max-bitrate=1200");
    }

    @Test
    void aViewerIsToldNoSenderBitrates() {
        try (MediaBridge bridge = MediaBridge.start(new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1")),
                new SimpleMeterRegistry())) {
            String answer = bridge.createConference("viewer-bitrates")
                    .subscribe("room", StageFixture.resource("chromium-viewer-offer.sdp")).sdpAnswer();
            assertThat(answer).doesNotContain("x-google-start-bitrate", "x-google-max-bitrate");
        }
    }

    private static String videoFmtp(long publisherBitrateBps, SlotName slot) {
        MediaBridgeConfig config = new MediaBridgeConfig("127.0.0.1", 0, List.of("127.0.0.1"),
                MediaBridgeConfig.DEFAULT_CONSENT_TIMEOUT, publisherBitrateBps,
                MediaBridgeConfig.DEFAULT_KEYFRAME_REQUEST_INTERVAL, false, MediaBridgeConfig.DEFAULT_INTERRUPT_AFTER,
                RetransmissionLimits.DEFAULT);
        try (MediaBridge bridge = MediaBridge.start(config, new SimpleMeterRegistry())) {
            String answer = bridge.createConference("publisher-bitrates")
                    .publish("publisher", StageFixture.resource("chromium-publisher-offer.sdp"), slot).sdpAnswer();
            return answer.lines().filter(l -> l.startsWith("a=fmtp:96 ")).findFirst().orElseThrow();
        }
    }
}
