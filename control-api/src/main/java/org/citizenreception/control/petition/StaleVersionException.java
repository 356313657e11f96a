package org.citizenreception.control.petition;

import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Problem;

/**
 * 409 for an edit made against an older version. The problem carries both sides — the current
 * petition and the change that was refused — so the secretary's console can merge and resubmit
 * without retyping: the refused text is in the answer, never lost.
 */
public final class StaleVersionException extends ApiException {
    private final long yourVersion;
    private final long currentVersion;
    private final transient Object current;
    private final transient Object yours;

    StaleVersionException(long petitionId, long yourVersion, long currentVersion, Object current, Object yours) {
        super(409, "Conflict", "petition " + petitionId + " changed meanwhile: you edited version " + yourVersion
                + ", the current version is " + currentVersion + "; merge and resubmit with version " + currentVersion, null);
        this.yourVersion = yourVersion;
        this.currentVersion = currentVersion;
        this.current = current;
        this.yours = yours;
    }

    /** The problem+json body with the extension members {@code currentVersion}, {@code yourVersion}, {@code current}, {@code yours}. */
    public Map<String, Object> body(String instance) {
        Problem p = toProblem(instance);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", p.instance());
        body.put("currentVersion", currentVersion);
        body.put("yourVersion", yourVersion);
        body.put("current", current);
        body.put("yours", yours);
        return body;
    }
}
