package org.citizenreception.control.backup;

/** A backup or restore that did not complete, naming the step and the file. */
public final class BackupException extends RuntimeException {
    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
