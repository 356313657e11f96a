package org.citizenreception.control.web;

import java.util.Map;

/** An element's getBoundingClientRect, for layout checks that a screenshot alone cannot make. */
record ScreenBox(String css, double left, double top, double right, double bottom) {
    static ScreenBox of(Browser b, String css) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) b.js("const e = document.querySelector(arguments[0]); if (!e) return null;"
                + "const r = e.getBoundingClientRect(); return { l: r.left, t: r.top, r: r.right, b: r.bottom };", css);
        if (r == null) {
            throw new AssertionError("no element " + css);
        }
        return new ScreenBox(css, num(r.get("l")), num(r.get("t")), num(r.get("r")), num(r.get("b")));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** Wholly inside a viewport of {@code width} x {@code height} (half a pixel of rounding allowed). */
    boolean inside(double width, double height) {
        return left >= -0.5 && top >= -0.5 && right <= width + 0.5 && bottom <= height + 0.5 && right > left && bottom > top;
    }

    boolean overlaps(ScreenBox o) {
        return left < o.right - 0.5 && o.left < right - 0.5 && top < o.bottom - 0.5 && o.top < bottom - 0.5;
    }

    /** The shortest distance between the two boxes' edges (0 when they touch or overlap). */
    double distanceTo(ScreenBox o) {
        double dx = Math.max(0, Math.max(o.left - right, left - o.right));
        double dy = Math.max(0, Math.max(o.top - bottom, top - o.bottom));
        return Math.hypot(dx, dy);
    }
}
