package org.citizenreception.control.bridge;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which bridge an endpoint goes on: never a dead, draining or full one; in the room's region when a
 * bridge serves it (the bridge whose region is the room itself or its nearest parent), else on a
 * bridge without a region (it takes anyone), else on any other; among equals the least loaded
 * (endpoints over capacity), then by id so the choice is stable.
 */
public final class BridgePlacement {
    private BridgePlacement() {
    }

    /**
     * @param roomPath the room's code and its parents', nearest first; empty for the host's consoles
     */
    public static Optional<BridgeRegistry.Bridge> choose(List<BridgeRegistry.Bridge> bridges, List<String> roomPath) {
        return bridges.stream()
                .filter(b -> b.alive() && !b.draining() && b.heartbeat().endpoints() < b.heartbeat().capacity())
                .min(Comparator.<BridgeRegistry.Bridge>comparingInt(b -> regionRank(b, roomPath))
                        .thenComparingDouble(BridgeRegistry.Bridge::load)
                        .thenComparing(BridgeRegistry.Bridge::id));
    }

    /** 0.. for a bridge of the room's region (its own room first), then the region-less, then the others. */
    private static int regionRank(BridgeRegistry.Bridge bridge, List<String> roomPath) {
        String region = bridge.heartbeat().region();
        if (region == null || region.isEmpty()) {
            return roomPath.size();
        }
        int depth = roomPath.indexOf(region);
        return depth >= 0 ? depth : roomPath.size() + 1;
    }
}
