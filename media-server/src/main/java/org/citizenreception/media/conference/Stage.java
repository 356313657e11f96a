package org.citizenreception.media.conference;

import java.util.EnumMap;
import java.util.Map;
import org.citizenreception.media.sdp.MediaKind;

/**
 * A conference's fixed set of slots: {@link SlotName#MAIN}, {@link SlotName#GUEST} and
 * {@link SlotName#CONTENT}, each an audio and a video {@link MediaSlot}. Viewers subscribe to slots, never to sources, so a floor
 * change is a slot remap and no viewer renegotiates.
 */
public final class Stage {
    private final Map<SlotName, MediaSlot> audio = new EnumMap<>(SlotName.class);
    private final Map<SlotName, MediaSlot> video = new EnumMap<>(SlotName.class);

    Stage() {
        for (SlotName name : SlotName.values()) {
            audio.put(name, new MediaSlot(name, MediaKind.AUDIO));
            video.put(name, new MediaSlot(name, MediaKind.VIDEO));
        }
    }

    public MediaSlot slot(SlotName name, MediaKind kind) {
        return kind == MediaKind.AUDIO ? audio.get(name) : video.get(name);
    }
}
