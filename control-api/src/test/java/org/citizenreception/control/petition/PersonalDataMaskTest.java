package org.citizenreception.control.petition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataMaskTest {
    @Test
    void aNameKeepsTheFamilyNameAndInitials() {
        assertThat(PersonalDataMask.name("Nguyễn Văn An")).isEqualTo("Nguyễn V** A**");
        assertThat(PersonalDataMask.name("  Trần   Thị  Ánh ")).isEqualTo("Trần T** Á**");
        assertThat(PersonalDataMask.name("Lê")).isEqualTo("Lê");
    }

    @Test
    void anIdNumberKeepsFourLeadingAndTwoTrailingCharacters() {
        assertThat(PersonalDataMask.idNumber("012345678989")).isEqualTo("0123******89");
        assertThat(PersonalDataMask.idNumber("123456")).isEqualTo("******");
        assertThat(PersonalDataMask.idNumber("")).isEmpty();
    }

    /** LTC Art. 9: the staff's masked view of a denouncer keeps no family name (written first) and no ID digit. */
    @Test
    void aDenouncerInTheStaffsMaskedViewHasNoFamilyNameAndNoIdDigit() {
        Petitioner masked = new Petitioner("Nguyễn Văn An", "012345678989", "Số 5, Hồng Gai, Quảng Ninh", false).maskedDenouncer();
        assertThat(masked.name()).isEqualTo("*** V. A.").doesNotContain("Nguyễn").doesNotContain("N");
        assertThat(masked.idNumber()).isEqualTo("***").doesNotContainPattern("[0-9]");
        assertThat(masked.address()).isEqualTo("***, Quảng Ninh");
        assertThat(PersonalDataMask.denouncerName("  Trần   Thị  Ánh ")).isEqualTo("*** T. Á.");
        assertThat(PersonalDataMask.denouncerName("Lê")).isEqualTo("***");
    }

    @Test
    void anAddressKeepsOnlyItsLastPart() {
        assertThat(PersonalDataMask.address("Số 5, phường Hồng Gai, Quảng Ninh")).isEqualTo("***, Quảng Ninh");
        assertThat(PersonalDataMask.address("Hạ Long")).isEqualTo("***");
    }

    @Test
    void aPetitionerNeverPrintsPersonalDataIntoALog() {
        Petitioner p = new Petitioner("Nguyễn Văn An", "012345678989", "Hạ Long", true);
        assertThat(p.toString()).doesNotContain("Nguyễn").doesNotContain("0123");
        assertThat(p.confidential().name()).isEqualTo(PersonalDataMask.CONFIDENTIAL);
    }
}
