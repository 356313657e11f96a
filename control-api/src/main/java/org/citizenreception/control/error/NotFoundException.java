package org.citizenreception.control.error;

/** The object named does not exist (or the caller may not learn that it does). */
public final class NotFoundException extends DomainException {
    public NotFoundException(String what) {
        super(what + " does not exist", null);
    }
}
