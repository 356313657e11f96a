package org.citizenreception.control.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Who must receive citizens how often (DOMAIN.md scheduling table). The minimum for a period counts
 * only the whole calendar months (or whole Monday–Sunday weeks) inside it, so a twice-monthly review
 * asks a monthly duty for nothing it could not yet have met.
 */
public enum LeaderDuty {
    /** Chairman of the provincial People's Committee: 1 day a month (LTCD Art. 12(5)). */
    PROVINCE_CHAIR,
    /** Chairman of a commune People's Committee: 1 day a week (LTCD Art. 15(2)(d)). */
    COMMUNE_CHAIR,
    /** Provincial Party secretary: 1 day a month (Regulation 11-QĐi/TW). */
    PROVINCE_PARTY_SECRETARY,
    /** Commune Party secretary: 2 days a month (Regulation 11-QĐi/TW). */
    COMMUNE_PARTY_SECRETARY,
    /** Head of any agency, and anyone whose position is not recorded: 1 day a month (LTCD Art. 18). */
    AGENCY_HEAD;

    /** The duty a leaders-list position names (Vietnamese titles, as the administrator types them). */
    public static LeaderDuty ofPosition(String position) {
        String p = position == null ? "" : position.toLowerCase(Locale.ROOT);
        boolean province = p.contains("tỉnh");
        if (p.contains("bí thư")) {
            return province ? PROVINCE_PARTY_SECRETARY : COMMUNE_PARTY_SECRETARY;
        }
        if (p.contains("chủ tịch") && (province || p.contains("xã") || p.contains("phường") || p.contains("đặc khu"))) {
            return province ? PROVINCE_CHAIR : COMMUNE_CHAIR;
        }
        return AGENCY_HEAD;
    }

    public long minimum(LocalDate from, LocalDate to) {
        return switch (this) {
            case COMMUNE_CHAIR -> wholeWeeks(from, to);
            case COMMUNE_PARTY_SECRETARY -> 2 * wholeMonths(from, to);
            case PROVINCE_CHAIR, PROVINCE_PARTY_SECRETARY, AGENCY_HEAD -> wholeMonths(from, to);
        };
    }

    static long wholeMonths(LocalDate from, LocalDate to) {
        long n = 0;
        for (LocalDate m = from.withDayOfMonth(1); !m.isAfter(to); m = m.plusMonths(1)) {
            if (!m.isBefore(from) && !m.withDayOfMonth(m.lengthOfMonth()).isAfter(to)) {
                n++;
            }
        }
        return n;
    }

    static long wholeWeeks(LocalDate from, LocalDate to) {
        long n = 0;
        LocalDate monday = from;
        while (monday.getDayOfWeek() != DayOfWeek.MONDAY) {
            monday = monday.plusDays(1);
        }
        for (; !monday.plusDays(6).isAfter(to); monday = monday.plusWeeks(1)) {
            n++;
        }
        return n;
    }
}
