package org.citizenreception.control.petition;

/**
 * One petitioner or, in a group case, one representative. All three text fields are personal data
 * (Personal Data Protection Law 91/2025): never logged, masked for room views (see {@link PersonalDataMask}).
 */
public record Petitioner(String name, String idNumber, String address, boolean representative) {
    /** The same person with every personal field masked. */
    Petitioner masked() {
        return new Petitioner(PersonalDataMask.name(name), PersonalDataMask.idNumber(idNumber),
                PersonalDataMask.address(address), representative);
    }

    /**
     * A denouncer as staff see them before an audited reveal: no family name, no ID digit (LTC Art. 9:
     * the denouncer's identity is protected, and staff in a commune may know the denounced).
     */
    Petitioner maskedDenouncer() {
        return new Petitioner(PersonalDataMask.denouncerName(name), PersonalDataMask.denouncerIdNumber(idNumber),
                PersonalDataMask.address(address), representative);
    }

    /** A denouncer as a room sees it: nothing that could identify them (LTC Art. 9). */
    Petitioner confidential() {
        return new Petitioner(PersonalDataMask.CONFIDENTIAL, PersonalDataMask.CONFIDENTIAL, PersonalDataMask.CONFIDENTIAL,
                representative);
    }

    @Override
    public String toString() {
        // A record's default toString would print the personal fields into any log line.
        return "Petitioner[representative=" + representative + "]";
    }
}
