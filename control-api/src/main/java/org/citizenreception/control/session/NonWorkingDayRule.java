package org.citizenreception.control.session;

/**
 * What a recurring schedule does with an occurrence that falls on a weekend or a public holiday:
 * the office is closed that day (LTCD Art. 12(5), 15(2)(d) set how often a leader receives, not on
 * which date), so the province either holds it on the next working day or drops it. Stored with the rule.
 */
public enum NonWorkingDayRule {
    /** Held on the next working day of the holiday table. */
    MOVE,
    /** Not held; the next occurrence of the rule is the next session. */
    SKIP
}
