package org.citizenreception.control.petition;

import java.util.ArrayList;
import java.util.List;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.DomainException;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.validation.Fields;

/** Field rules of a register line, each failure naming its field. */
final class PetitionRules {
    /** LTCD Art. 29: five or more people with the same content are a group case. */
    static final int GROUP_SIZE = 5;
    static final int MAX_PETITIONERS = 50;
    static final int MAX_TEXT = 20_000;

    private PetitionRules() {
    }

    /**
     * Checks the petitioners against the head count. A group of 5–10 people names 1 or 2
     * representatives, a larger group up to 5 (LTCD Art. 29(2)); a case of fewer than 5 lists each person.
     */
    static List<Petitioner> petitioners(List<PetitionInput.PetitionerInput> in, int headCount) {
        if (in == null || in.isEmpty()) {
            throw DomainErrors.invalid("petitioners", "name at least one petitioner");
        }
        if (in.size() > MAX_PETITIONERS) {
            throw DomainErrors.invalid("petitioners", "at most " + MAX_PETITIONERS + " petitioners");
        }
        List<FieldError> errors = new ArrayList<>();
        List<Petitioner> out = new ArrayList<>();
        int representatives = 0;
        for (int i = 0; i < in.size(); i++) {
            PetitionInput.PetitionerInput p = in.get(i);
            String f = "petitioners[" + i + "]";
            if (p == null) {
                errors.add(new FieldError(f, "must be an object"));
                continue;
            }
            String name = collect(errors, () -> Fields.name(f + ".name", p.name(), 200));
            String address = collect(errors, () -> Fields.required(f + ".address", p.address(), 500));
            String id = collect(errors, () -> Fields.optional(f + ".idNumber", p.idNumber(), 20));
            if (id != null && !id.isEmpty() && !id.matches("[A-Za-z0-9]{6,20}")) {
                errors.add(new FieldError(f + ".idNumber", "must be 6 to 20 letters or digits (CCCD: 12 digits)"));
            }
            boolean representative = Boolean.TRUE.equals(p.representative());
            representatives += representative ? 1 : 0;
            out.add(new Petitioner(name, id, address, representative));
        }
        if (in.size() > headCount) {
            errors.add(new FieldError("headCount", "must be at least the number of petitioners listed (" + in.size() + ")"));
        }
        if (headCount >= GROUP_SIZE) {
            int max = headCount <= 10 ? 2 : 5;
            if (representatives < 1 || representatives > max) {
                errors.add(new FieldError("petitioners", "a group of " + headCount + " people names 1 to " + max
                        + " representatives (LTCD Art. 29); " + representatives + " marked"));
            }
        } else if (representatives > 0) {
            errors.add(new FieldError("petitioners", "representatives are named only in a group case of "
                    + GROUP_SIZE + " or more people (LTCD Art. 29)"));
        }
        if (!errors.isEmpty()) {
            throw DomainErrors.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return out;
    }

    private static String collect(List<FieldError> errors, java.util.function.Supplier<String> check) {
        try {
            return check.get();
        } catch (DomainException e) {
            errors.addAll(e.fieldErrors());
            return null;
        }
    }
}
