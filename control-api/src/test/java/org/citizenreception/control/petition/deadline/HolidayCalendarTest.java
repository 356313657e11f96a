package org.citizenreception.control.petition.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HolidayCalendarTest {
    @Test
    void theShippedTableCoversEveryYearFrom2024To2027() {
        HolidayCalendar calendar = HolidayCalendar.load(Path.of("..", "config", "holidays-vn.csv"));
        for (int year = 2024; year <= 2027; year++) {
            assertThat(calendar.isWorkingDay(LocalDate.of(year, 1, 1))).as("New Year %d", year).isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(year, 9, 2))).as("National Day %d", year).isFalse();
        }
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 17))).as("Tết 2026").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 4, 27))).as("Hùng Kings 2026, compensated").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 4, 26))).as("swapped Saturday").isTrue();
        assertThat(calendar.nameOf(LocalDate.of(2025, 4, 30))).contains("Giải phóng");
    }

    @Test
    void aTableListingAWeekdayAsWorkingIsRefusedWithItsLine() {
        String csv = "date,name,type\n2026-01-01,New Year,holiday\n2026-01-05,Monday,working\n";
        assertThatThrownBy(() -> HolidayCalendar.parse(new StringReader(csv), "t.csv"))
                .hasMessageContaining("t.csv line 2").hasMessageContaining("Saturday or Sunday");
    }

    @Test
    void aBadDateOrDuplicateIsRefused() {
        assertThatThrownBy(() -> HolidayCalendar.parse(new StringReader("date,name\n2026-13-01,x\n"), "t"))
                .hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(() -> HolidayCalendar.parse(new StringReader("date,name\n2026-01-01,x\n2026-01-01,y\n"), "t"))
                .hasMessageContaining("twice");
    }

    @Test
    void weekendsOnlyNeverCountsASaturday() {
        HolidayCalendar calendar = HolidayCalendar.weekendsOnly();
        LocalDate friday = LocalDate.of(2026, 3, 6);
        assertThat(friday.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
        assertThat(calendar.plusWorkingDays(friday, 1)).isEqualTo(LocalDate.of(2026, 3, 9));
        assertThat(calendar.plusWorkingDays(friday, 0)).isEqualTo(friday);
    }
}
