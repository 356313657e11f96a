package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.citizenreception.control.error.MalformedInputException;
import org.citizenreception.control.petition.PetitionKind;
import org.citizenreception.control.petition.deadline.DeadlineKind;
import org.citizenreception.control.session.SessionState;
import org.junit.jupiter.api.Test;

/** Both languages of the session record have every label, including one per state, kind and deadline. */
class SessionRecordLanguageTest {
    @Test
    void everyLabelIsInBothLanguagesAndEveryEnumValueHasOne() {
        assertThat(RecordLanguage.EN.keys()).isEqualTo(RecordLanguage.VI.keys());
        for (RecordLanguage lang : RecordLanguage.values()) {
            for (SessionState s : SessionState.values()) {
                assertThat(lang.keys()).as("%s in %s", s, lang).contains("state." + s.name());
            }
            for (PetitionKind k : PetitionKind.values()) {
                assertThat(lang.keys()).as("%s in %s", k, lang).contains("kind." + k.name());
            }
            for (DeadlineKind k : DeadlineKind.values()) {
                assertThat(lang.keys()).as("%s in %s", k, lang).contains("deadline." + k.name());
            }
        }
    }

    @Test
    void placeholdersAreFilledAndTimesReadInVietnam() {
        assertThat(RecordLanguage.VI.label("section.rooms", 3, 2, 1)).isEqualTo("Điểm cầu được mời: 3, có mặt: 2, vắng mặt: 1");
        assertThat(RecordLanguage.EN.label("section.rooms", 3, 2, 1)).isEqualTo("Rooms invited: 3, present: 2, absent: 1");
        Instant at = Instant.parse("2026-03-02T01:00:00Z");
        assertThat(RecordLanguage.VI.time().format(at)).isEqualTo("08:00:00 ngày 02/03/2026");
        assertThat(RecordLanguage.EN.time().format(at)).isEqualTo("08:00:00, 02/03/2026");
    }

    @Test
    void theLanguageParameterIsViByDefaultAndRefusesOthersNamingIt() {
        assertThat(RecordLanguage.of(null)).isEqualTo(RecordLanguage.VI);
        assertThat(RecordLanguage.of("en")).isEqualTo(RecordLanguage.EN);
        assertThatThrownBy(() -> RecordLanguage.of("EN-us")).isInstanceOf(MalformedInputException.class).hasMessageContaining("lang");
    }
}
