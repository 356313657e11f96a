package org.citizenreception.control.attendance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one room's connect/disconnect events into the spans it was present, clipped to the
 * session's window. A room may connect several endpoints at once (a PC and a phone, a quick
 * reconnect before the old endpoint timed out): their spans are merged, so overlapping time is
 * counted once.
 */
public final class RoomPresence {
    private final List<ConnectionSpan> spans;

    private RoomPresence(List<ConnectionSpan> spans) {
        this.spans = List.copyOf(spans);
    }

    /**
     * @param events     this room's events in any order
     * @param windowFrom when the session went live (time before it does not count)
     * @param windowTo   when it ended, or now while it is live; endpoints still connected count until then
     */
    public static RoomPresence of(List<AttendanceEvent> events, Instant windowFrom, Instant windowTo) {
        List<AttendanceEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(AttendanceEvent::at).thenComparing(e -> e.kind() == AttendanceEvent.Kind.DISCONNECT ? 0 : 1));
        Map<String, Instant> open = new HashMap<>();
        List<ConnectionSpan> raw = new ArrayList<>();
        for (AttendanceEvent e : sorted) {
            if (e.kind() == AttendanceEvent.Kind.CONNECT) {
                open.putIfAbsent(e.endpointId(), e.at());
            } else {
                Instant from = open.remove(e.endpointId());
                if (from != null) {
                    raw.add(new ConnectionSpan(from, e.at()));
                }
            }
        }
        open.values().forEach(from -> raw.add(new ConnectionSpan(from, windowTo)));
        return new RoomPresence(merge(clip(raw, windowFrom, windowTo)));
    }

    private static List<ConnectionSpan> clip(List<ConnectionSpan> spans, Instant from, Instant to) {
        List<ConnectionSpan> out = new ArrayList<>();
        for (ConnectionSpan s : spans) {
            Instant a = s.from().isBefore(from) ? from : s.from();
            Instant b = s.to().isAfter(to) ? to : s.to();
            if (a.isBefore(b)) {
                out.add(new ConnectionSpan(a, b));
            }
        }
        return out;
    }

    private static List<ConnectionSpan> merge(List<ConnectionSpan> spans) {
        List<ConnectionSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(ConnectionSpan::from));
        List<ConnectionSpan> out = new ArrayList<>();
        for (ConnectionSpan s : sorted) {
            if (!out.isEmpty() && !s.from().isAfter(out.get(out.size() - 1).to())) {
                ConnectionSpan last = out.remove(out.size() - 1);
                out.add(new ConnectionSpan(last.from(), s.to().isAfter(last.to()) ? s.to() : last.to()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    public List<ConnectionSpan> spans() {
        return spans;
    }

    public Duration connected() {
        return spans.stream().map(ConnectionSpan::length).reduce(Duration.ZERO, Duration::plus);
    }

    public boolean everConnected() {
        return !spans.isEmpty();
    }

    public Instant firstConnected() {
        return spans.isEmpty() ? null : spans.get(0).from();
    }

    public Instant lastDisconnected() {
        return spans.isEmpty() ? null : spans.get(spans.size() - 1).to();
    }
}
