package org.citizenreception.control.config;

/**
 * A configuration value that cannot be used. The message is one line naming the key, the value and
 * what is expected, so the operator can fix it without reading a stack trace.
 */
public final class ConfigProblem extends RuntimeException {
    public ConfigProblem(String key, Object value, String expected) {
        super("configuration key '" + key + "' has value '" + value + "': expected " + expected);
    }

    public ConfigProblem(String message) {
        super(message);
    }
}
