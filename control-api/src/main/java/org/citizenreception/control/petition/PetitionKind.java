package org.citizenreception.control.petition;

import org.citizenreception.control.petition.deadline.DeadlineCase;

/** The four kinds of petition the law distinguishes (LTCD Art. 2). */
public enum PetitionKind {
    /** khiếu nại (LKN 02/2011). */
    COMPLAINT,
    /** tố cáo (LTC 25/2018): the denouncer's identity is confidential (LTC Art. 9). */
    DENUNCIATION,
    /** kiến nghị. */
    RECOMMENDATION,
    /** phản ánh. */
    REFLECTION;

    DeadlineCase.Kind deadlineKind() {
        return DeadlineCase.Kind.valueOf(name());
    }
}
