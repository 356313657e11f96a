package org.citizenreception.control.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An edit made against an older version. It carries both sides — the current object and the
 * change that was refused — so a console can merge and resubmit without retyping: the refused
 * text is in the answer, never lost.
 */
public final class StaleVersionException extends ConflictException {
    private final long yourVersion;
    private final long currentVersion;
    private final transient Object current;
    private final transient Object yours;

    public StaleVersionException(String what, long yourVersion, long currentVersion, Object current, Object yours) {
        super(what + " changed meanwhile: you edited version " + yourVersion + ", the current version is " + currentVersion
                + "; merge and resubmit with version " + currentVersion);
        this.yourVersion = yourVersion;
        this.currentVersion = currentVersion;
        this.current = current;
        this.yours = yours;
    }

    /** {@code currentVersion}, {@code yourVersion}, {@code current}, {@code yours}. */
    @Override
    public Map<String, Object> extensions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currentVersion", currentVersion);
        m.put("yourVersion", yourVersion);
        m.put("current", current);
        m.put("yours", yours);
        return m;
    }
}
