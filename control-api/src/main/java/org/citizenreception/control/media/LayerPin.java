package org.citizenreception.control.media;

import java.util.Locale;
import org.citizenreception.control.error.DomainErrors;

/** What a room pinned its video to: a simulcast layer of the host's three, or {@link #AUTO} (its bandwidth decides). */
public enum LayerPin {
    AUTO(-1), LOW(0), MIDDLE(1), TOP(2);

    private final int layerIndex;

    LayerPin(int layerIndex) {
        this.layerIndex = layerIndex;
    }

    /** The bridge's layer index (0 the lowest), -1 for {@link #AUTO}. */
    public int layerIndex() {
        return layerIndex;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The body's {@code layer}: one of low, middle, top, auto; anything else is refused naming the field. */
    public static LayerPin parse(String value) {
        if (value != null) {
            for (LayerPin pin : values()) {
                if (pin.wireName().equals(value)) {
                    return pin;
                }
            }
        }
        throw DomainErrors.invalid("layer", "must be one of low, middle, top, auto");
    }

    /** The wire name of a bridge layer index: low/middle/top, audio_only for -1. */
    public static String layerName(int layerIndex) {
        return switch (layerIndex) {
            case -1 -> "audio_only";
            case 0 -> "low";
            case 1 -> "middle";
            default -> "top";
        };
    }
}
