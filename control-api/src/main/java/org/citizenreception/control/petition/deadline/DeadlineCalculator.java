package org.citizenreception.control.petition.deadline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The statutory deadlines of a petition, exactly as the laws set them.
 *
 * <table>
 * <caption>Rules</caption>
 * <tr><th>deadline</th><th>period</th><th>counted in</th><th>from</th><th>basis</th></tr>
 * <tr><td>result notice (every kind)</td><td>10</td><td>working days</td><td>receipt</td><td>LTCD 42/2013 Art. 28(1)</td></tr>
 * <tr><td>complaint acceptance</td><td>10</td><td>days</td><td>receipt</td><td>LKN 02/2011 Art. 27 (first round), Art. 36 (second round)</td></tr>
 * <tr><td>first complaint resolution</td><td>30; complex 45; remote 45; remote and complex 60</td><td>days</td><td>acceptance</td><td>LKN Art. 28</td></tr>
 * <tr><td>second complaint resolution</td><td>45; complex 60; remote 60; remote and complex 70</td><td>days</td><td>acceptance</td><td>LKN Art. 37</td></tr>
 * <tr><td>denunciation screening</td><td>7; up to 10 when verification spans several places (acceptance review extended)</td><td>working days</td><td>receipt</td><td>LTC 25/2018 Art. 24(1)</td></tr>
 * <tr><td>denunciation forwarding (not competent)</td><td>5</td><td>working days</td><td>receipt</td><td>LTC Art. 24(1)(b)</td></tr>
 * <tr><td>denunciation resolution</td><td>30, + up to 30 per extension decision: one if complex, two if especially complex</td><td>days</td><td>acceptance</td><td>LTC Art. 30(1)</td></tr>
 * <tr><td>send a first-round complaint decision</td><td>3</td><td>working days</td><td>decision</td><td>LKN Art. 32</td></tr>
 * <tr><td>send a second-round complaint decision</td><td>7</td><td>days</td><td>decision</td><td>LKN Art. 41</td></tr>
 * <tr><td>send a denunciation's conclusion, notify the denouncer</td><td>5</td><td>working days</td><td>conclusion</td><td>LTC Art. 35(3)</td></tr>
 * </table>
 *
 * <p><b>Counting</b> (Civil Code 91/2015): a period in days starts on the day after the event
 * (Art. 147(1)), so the receipt or acceptance day never counts. A period in days ends at the end
 * of its last day (Art. 148(1)); when that day is a weekend or a public holiday the period ends at
 * the end of the next working day (Art. 148(5)). A period in working days counts only working days
 * of the {@link HolidayCalendar}, so it always ends on one.
 *
 * <p><b>Denunciation extensions</b>: LTC Art. 30(1) lets the resolver extend a complex case once and
 * an especially complex case twice, each time by at most 30 days, by a decision. The complexity
 * flags therefore set how many extensions are <em>allowed</em> ({@link Deadline#latestDueOn()});
 * only recorded {@link Extension}s, each citing its decision, move {@link Deadline#dueOn()}.
 * Complaint periods need no decision: LKN Art. 28 and 37 give the longer period directly.
 */
public final class DeadlineCalculator {
    static final String LTCD_28 = "LTCD 42/2013/QH13 Art. 28(1)";
    static final String LKN_27 = "LKN 02/2011/QH13 Art. 27";
    static final String LKN_36 = "LKN 02/2011/QH13 Art. 36";
    static final String LKN_32 = "LKN 02/2011/QH13 Art. 32";
    static final String LKN_41 = "LKN 02/2011/QH13 Art. 41";
    static final String LTC_35 = "LTC 25/2018/QH14 Art. 35(3)";
    /** LTC Art. 24(1): screening may take up to 10 working days when verification spans several places. */
    static final int EXTENDED_SCREENING_WORKING_DAYS = 10;
    static final String LKN_28 = "LKN 02/2011/QH13 Art. 28";
    static final String LKN_37 = "LKN 02/2011/QH13 Art. 37";
    static final String LTC_24 = "LTC 25/2018/QH14 Art. 24(1)";
    static final String LTC_24_B = "LTC 25/2018/QH14 Art. 24(1)(b)";
    static final String LTC_30 = "LTC 25/2018/QH14 Art. 30(1)";

    private final HolidayCalendar calendar;

    public DeadlineCalculator(HolidayCalendar calendar) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /**
     * Every deadline that applies to the case now, in procedural order.
     *
     * @throws IllegalArgumentException when an extension is not one the law allows for this case
     */
    public List<Deadline> compute(DeadlineCase c) {
        validateExtensions(c);
        List<Deadline> out = new ArrayList<>();
        out.add(working(DeadlineKind.RESULT_NOTICE, c.receivedOn(), 10, LTCD_28));
        switch (c.kind()) {
            case COMPLAINT -> {
                out.add(calendar(DeadlineKind.COMPLAINT_ACCEPTANCE, c.receivedOn(), 10, 0, List.of(),
                        c.complaintRound() == 2 ? LKN_36 : LKN_27));
                c.acceptedOn().ifPresent(accepted -> out.add(calendar(DeadlineKind.COMPLAINT_RESOLUTION, accepted,
                        complaintResolutionDays(c), 0, List.of(), c.complaintRound() == 2 ? LKN_37 : LKN_28)));
            }
            case DENUNCIATION -> {
                out.add(working(DeadlineKind.DENUNCIATION_SCREENING, c.receivedOn(),
                        c.screeningExtended() ? EXTENDED_SCREENING_WORKING_DAYS : 7, LTC_24));
                out.add(working(DeadlineKind.DENUNCIATION_FORWARDING, c.receivedOn(), 5, LTC_24_B));
                c.acceptedOn().ifPresent(accepted -> out.add(calendar(DeadlineKind.DENUNCIATION_RESOLUTION, accepted,
                        30, allowedDenunciationExtensions(c) * Extension.MAX_DAYS,
                        extensionsFor(c, DeadlineKind.DENUNCIATION_RESOLUTION), LTC_30)));
            }
            case RECOMMENDATION, REFLECTION -> {
                // Only the result notice: no statute sets a resolution period for these kinds.
            }
        }
        return List.copyOf(out);
    }

    /**
     * The time to send the decision or conclusion to the citizen once issued: a first-round complaint
     * decision within 3 working days (LKN Art. 32), a second-round one within 7 days (LKN Art. 41), a
     * denunciation's conclusion within 5 working days (LTC Art. 35(3)). Other kinds have no statutory
     * period, so no deadline (empty).
     */
    public java.util.Optional<Deadline> decisionNotice(DeadlineCase.Kind kind, int complaintRound, LocalDate decidedOn) {
        return switch (kind) {
            case COMPLAINT -> java.util.Optional.of(complaintRound == 2
                    ? calendar(DeadlineKind.DECISION_NOTICE, decidedOn, 7, 0, List.of(), LKN_41)
                    : working(DeadlineKind.DECISION_NOTICE, decidedOn, 3, LKN_32));
            case DENUNCIATION -> java.util.Optional.of(working(DeadlineKind.DECISION_NOTICE, decidedOn, 5, LTC_35));
            case RECOMMENDATION, REFLECTION -> java.util.Optional.empty();
        };
    }

    /** LKN Art. 28 (first round) and Art. 37 (second round). */
    static int complaintResolutionDays(DeadlineCase c) {
        boolean second = c.complaintRound() == 2;
        if (c.remoteArea()) {
            return second ? (c.complex() ? 70 : 60) : (c.complex() ? 60 : 45);
        }
        return second ? (c.complex() ? 60 : 45) : (c.complex() ? 45 : 30);
    }

    /** LTC Art. 30(1): once if complex, twice if especially complex, never otherwise. */
    static int allowedDenunciationExtensions(DeadlineCase c) {
        if (c.kind() != DeadlineCase.Kind.DENUNCIATION) {
            return 0;
        }
        return c.especiallyComplex() ? 2 : c.complex() ? 1 : 0;
    }

    private static void validateExtensions(DeadlineCase c) {
        int resolutionExtensions = 0;
        for (Extension e : c.extensions()) {
            if (c.kind() == DeadlineCase.Kind.COMPLAINT) {
                throw new IllegalArgumentException("a complaint's deadlines are not extended by decision: LKN Art. 28 and 37 give a"
                        + " complex or remote complaint its longer period directly; mark the complaint complex or remote instead");
            }
            if (c.kind() != DeadlineCase.Kind.DENUNCIATION) {
                throw new IllegalArgumentException("a " + c.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " has no statutory period to extend; only a denunciation's resolution is extended by decision (LTC Art. 30(1))");
            }
            if (e.kind() != DeadlineKind.DENUNCIATION_RESOLUTION) {
                throw new IllegalArgumentException("only a denunciation's resolution is extended by decision (LTC Art. 30(1)), not its "
                        + e.kind());
            }
            if (c.acceptedOn().isEmpty()) {
                throw new IllegalArgumentException("a denunciation must be accepted before its resolution can be extended");
            }
            if (e.decidedOn().isBefore(c.acceptedOn().get())) {
                throw new IllegalArgumentException("an extension cannot be decided before the acceptance");
            }
            resolutionExtensions++;
        }
        int allowed = allowedDenunciationExtensions(c);
        if (resolutionExtensions > allowed) {
            throw new IllegalArgumentException(switch (allowed) {
                case 0 -> "only a complex or especially complex denunciation may be extended (LTC Art. 30(1))";
                case 1 -> "a complex denunciation may be extended once; mark it especially complex for a second extension (LTC Art. 30(1))";
                default -> "a denunciation may be extended at most twice (LTC Art. 30(1))";
            });
        }
    }

    private static List<Extension> extensionsFor(DeadlineCase c, DeadlineKind kind) {
        return c.extensions().stream().filter(e -> e.kind() == kind).toList();
    }

    private Deadline working(DeadlineKind kind, LocalDate event, int days, String basis) {
        LocalDate due = calendar.plusWorkingDays(event, days);
        return new Deadline(kind, DayCount.WORKING_DAYS, event, days, due, due, List.of(), basis);
    }

    /**
     * A period in calendar days: the last day is {@code event + days (+ extensions)}; a last day that
     * is a day off moves to the next working day (Civil Code Art. 148(5)). Extensions lengthen the
     * period itself, so the move applies once, to the extended end.
     */
    private Deadline calendar(DeadlineKind kind, LocalDate event, int days, int maxExtensionDays,
                              List<Extension> extensions, String basis) {
        int extended = extensions.stream().mapToInt(Extension::days).sum();
        LocalDate due = calendar.workingDayOnOrAfter(event.plusDays((long) days + extended));
        LocalDate latest = calendar.workingDayOnOrAfter(event.plusDays((long) days + Math.max(extended, maxExtensionDays)));
        return new Deadline(kind, DayCount.CALENDAR_DAYS, event, days, due, latest, extensions, basis);
    }
}
