package org.citizenreception.control.petition;

/**
 * Masks personal data for views that must not show it: a room operator's screen, a default export.
 * Enough stays visible for a room to recognise a case it sent ("Nguyễn V** A**", "0123******89"),
 * not enough to identify a stranger.
 */
public final class PersonalDataMask {
    /** What replaces every field of a confidential denouncer. */
    public static final String CONFIDENTIAL = "(bảo mật)";

    private PersonalDataMask() {
    }

    /** Keeps the family name and the first letter of every other word: "Nguyễn Văn An" → "Nguyễn V** A**". */
    public static String name(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        String[] words = name.trim().split("\\s+");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            out.append(' ').appendCodePoint(words[i].codePointAt(0)).append("**");
        }
        return out.toString();
    }

    /**
     * A denouncer's name in the staff's masked view: no family name (Vietnamese names put it first,
     * and in a commune one family name can point at one household), only the initials of the other
     * words: "Nguyễn Văn An" → "*** V. A.". Revealing the whole name is an explicit, audited request.
     */
    public static String denouncerName(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        String[] words = name.trim().split("\\s+");
        StringBuilder out = new StringBuilder("***");
        for (int i = 1; i < words.length; i++) {
            out.append(' ').appendCodePoint(words[i].codePointAt(0)).append('.');
        }
        return out.toString();
    }

    /** A denouncer's ID number in the staff's masked view: not one digit, not even its length. */
    public static String denouncerIdNumber(String id) {
        return id == null || id.isEmpty() ? id : "***";
    }

    /** Keeps the first four and last two characters: "012345678989" → "0123******89". */
    public static String idNumber(String id) {
        if (id == null || id.isEmpty()) {
            return id;
        }
        if (id.length() <= 6) {
            return "*".repeat(id.length());
        }
        return id.substring(0, 4) + "*".repeat(id.length() - 6) + id.substring(id.length() - 2);
    }

    /** Keeps only the last comma-separated part (the province or ward): "Số 5, Hồng Gai, Quảng Ninh" → "***, Quảng Ninh". */
    public static String address(String address) {
        if (address == null || address.isBlank()) {
            return address;
        }
        int comma = address.lastIndexOf(',');
        return comma < 0 ? "***" : "***," + address.substring(comma + 1);
    }
}
