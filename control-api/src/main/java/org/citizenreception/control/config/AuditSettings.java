package org.citizenreception.control.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the audit key comes from and where the chain's head is checkpointed.
 *
 * @param key               the key itself (base64) when given in the environment or configuration
 * @param keyFile           otherwise the file holding it, created on first start
 * @param checkpointFile    the append-only file of signed heads
 * @param checkpointEvery   how often the head is checkpointed (besides every session end)
 * @param syslog            a syslog collector receiving every checkpoint too
 */
public record AuditSettings(Optional<String> key, Path keyFile, Path checkpointFile, Duration checkpointEvery,
                            Optional<InetSocketAddress> syslog) {
    /** Never prints the key: configurations end up in logs and error messages. */
    @Override
    public String toString() {
        return "AuditSettings[key=" + (key.isPresent() ? "(set)" : "(from " + keyFile + ")") + ", checkpointFile="
                + checkpointFile + ", checkpointEvery=" + checkpointEvery + ", syslog=" + syslog.map(Object::toString).orElse("none") + "]";
    }
}
