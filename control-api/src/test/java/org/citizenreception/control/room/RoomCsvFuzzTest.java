package org.citizenreception.control.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The room directory CSV an administrator uploads (the corpus starts from real directory files).
 * Contract: {@link RoomCsv#parse} never throws — a file it cannot use comes back as line errors
 * naming the field, which the import route turns into problem+json — and every row it accepts
 * has a valid code, a non-blank name and dates in order.
 */
class RoomCsvFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void directoryFilesParseToRowsOrLineErrors(byte[] upload) {
        RoomCsv.Parsed parsed = RoomCsv.parse(new String(upload, StandardCharsets.UTF_8));

        assertThat(parsed.rows().isEmpty() && parsed.errors().isEmpty()).as("an upload is never silently empty").isFalse();
        for (RoomCsv.LineError error : parsed.errors()) {
            assertThat(error.line()).isPositive();
            assertThat(error.field()).isNotNull();
            assertThat(error.message()).isNotBlank();
        }
        for (RoomCsv.Row row : parsed.rows()) {
            Room room = row.room();
            assertThat(RoomCsv.CODE.matcher(room.code()).matches()).isTrue();
            assertThat(room.name()).isNotBlank().hasSizeLessThanOrEqualTo(RoomCsv.MAX_NAME_LENGTH);
            assertThat(room.level()).isNotNull();
            if (room.validFrom() != null && room.validTo() != null) {
                assertThat(room.validTo()).isAfterOrEqualTo(room.validFrom());
            }
        }
    }
}
