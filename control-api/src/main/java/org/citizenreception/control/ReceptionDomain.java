package org.citizenreception.control;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.citizenreception.control.attendance.AttendanceController;
import org.citizenreception.control.attendance.AttendanceRecorder;
import org.citizenreception.control.attendance.AttendanceService;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.config.ReceptionConfig;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.socket.SessionEventsSocket;
import org.citizenreception.control.floor.FloorController;
import org.citizenreception.control.floor.FloorService;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.identity.TokenResolver;
import org.citizenreception.control.metrics.DomainMetrics;
import org.citizenreception.control.agency.AgencyController;
import org.citizenreception.control.agency.AgencyService;
import org.citizenreception.control.petition.CaseController;
import org.citizenreception.control.petition.CaseService;
import org.citizenreception.control.petition.IdNumberHash;
import org.citizenreception.control.petition.PetitionController;
import org.citizenreception.control.petition.PetitionService;
import org.citizenreception.control.petition.deadline.DeadlineCalculator;
import org.citizenreception.control.petition.deadline.HolidayCalendar;
import org.citizenreception.control.room.RoomDirectory;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.ScheduleController;
import org.citizenreception.control.session.ScheduleService;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.session.SessionService;
import org.citizenreception.control.store.Database;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Revocations;

/**
 * Builds the reception domain — sessions, schedules, join tokens, floor, attendance, petitions,
 * live events, gauges — over the store, audit log and room directory, and hands the composition
 * root what it wires elsewhere: the routes, the join-token resolver, and the interfaces the media
 * side uses ({@link #attendance()}, {@link #floor()} for {@code FloorListener}s, {@link #mayPublish},
 * {@link #sessions()} for {@code mediaReportedLive/Ended}).
 */
public final class ReceptionDomain implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReceptionDomain.class);
    /** Schedules are extended this often, so a horizon always reaches ahead even on a server that never restarts. */
    static final Duration SCHEDULE_REFRESH = Duration.ofHours(6);
    /** The scheduler's identity in the audit log. */
    static final Principal SCHEDULER = new Principal(0, "system:scheduler", org.citizenreception.control.identity.Role.ADMIN,
            Optional.empty());

    private final EventBus events;
    private final SessionService sessions;
    private final ScheduleService schedules;
    private final JoinTokens joinTokens;
    private final FloorService floor;
    private final AttendanceService attendance;
    private final PetitionService petitions;
    private final CaseService cases;
    private final AgencyService agencies;
    private final Revocations revocations;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final SessionEventsSocket.Limits eventSocketLimits;
    /** Live events to and from other instances on the same PostgreSQL; nothing on SQLite (one instance). */
    private AutoCloseable eventRelay = () -> { };

    private ReceptionDomain(EventBus events, SessionService sessions, ScheduleService schedules, JoinTokens joinTokens, FloorService floor,
                            AttendanceService attendance, PetitionService petitions, Revocations revocations, CaseService cases,
                            AgencyService agencies, SessionEventsSocket.Limits eventSocketLimits) {
        this.cases = cases;
        this.agencies = agencies;
        this.eventSocketLimits = eventSocketLimits;
        this.revocations = revocations;
        this.events = events;
        this.sessions = sessions;
        this.schedules = schedules;
        this.joinTokens = joinTokens;
        this.floor = floor;
        this.attendance = attendance;
        this.petitions = petitions;
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "schedule-generator");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::generateSchedules, 0, SCHEDULE_REFRESH.toMinutes(), java.util.concurrent.TimeUnit.MINUTES);
    }

    private void generateSchedules() {
        try {
            int created = schedules.generateAll(SCHEDULER);
            if (created > 0) {
                log.info("recurring schedules: {} sessions generated", created);
            }
        } catch (RuntimeException e) {
            log.error("recurring schedules could not be extended; retrying in {}", SCHEDULE_REFRESH, e);
        }
    }

    /** Stops the schedule generator; waits for a run in progress so the database closes after it. */
    @Override
    public void close() {
        closeRelay();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeRelay() {
        try {
            eventRelay.close();
        } catch (Exception e) {
            log.warn("closing the live-event relay failed", e);
        }
    }

    public static ReceptionDomain create(ReceptionConfig config, Database database, AuditLog audit, RoomDirectory rooms,
                                         MeterRegistry metrics, Clock clock, Revocations revocations) {
        EventBus events = new EventBus();
        SessionService sessions = new SessionService(database, audit, rooms, events, clock, revocations);
        JoinTokens joinTokens = new JoinTokens(database, audit, sessions.repository(), clock,
                Duration.ofMinutes(config.joinTokenGraceMinutes()), revocations);
        FloorService floor = new FloorService(database, audit, sessions.repository(), sessions.access(), events, clock);
        sessions.addListener(joinTokens);
        sessions.addListener(floor);
        AttendanceService attendance = new AttendanceService(database, audit, sessions.repository(), rooms, events, clock,
                Duration.ofMinutes(config.attendanceLateAfterMinutes()), Duration.ofMinutes(config.attendanceLeftEarlyMinutes()));
        HolidayCalendar holidays = holidays(config.holidaysFile());
        DeadlineCalculator deadlines = new DeadlineCalculator(holidays);
        IdNumberHash idHash = IdNumberHash.load(config.caseHistoryKeyFile());
        PetitionService petitions = new PetitionService(database, audit, sessions.repository(), sessions.access(), events, deadlines, clock,
                idHash);
        int hashed = petitions.hashUnhashedIdNumbers();
        if (hashed > 0) {
            log.info("hashed {} ID numbers stored before the case history existed", hashed);
        }
        CaseService cases = new CaseService(petitions, idHash);
        AgencyService agencies = new AgencyService(database, audit, clock);
        ScheduleService schedules = new ScheduleService(database, audit, rooms, sessions,
                new org.citizenreception.control.session.WorkingDayPlanner(holidays), clock);
        DomainMetrics.register(metrics, clock, database, sessions.repository(), attendance, petitions);
        SessionEventsSocket.Limits eventSocketLimits = new SessionEventsSocket.Limits(config.limits().eventSocketsPerPrincipal(),
                config.limits().eventQueueMessages(), new org.citizenreception.control.limits.LimitRefusals(metrics));
        ReceptionDomain domain = new ReceptionDomain(events, sessions, schedules, joinTokens, floor, attendance, petitions, revocations,
                cases, agencies, eventSocketLimits);
        if (database.dialect() == org.citizenreception.control.store.Dialect.POSTGRESQL) {
            // Other instances may share the database: their events reach this instance's consoles and the reverse.
            domain.eventRelay = org.citizenreception.control.events.relay.PostgresEventRelay.start(database, events,
                    revocations, org.citizenreception.control.http.HttpServer.objectMapper(), metrics);
        }
        return domain;
    }

    /**
     * The configured holiday table, or the one built into this release when the file is missing (a
     * warning: the built-in table may lack days off announced after the release). A file that is
     * present but malformed stops the start, since it would miscount deadlines.
     */
    static HolidayCalendar holidays(java.nio.file.Path file) {
        if (java.nio.file.Files.isRegularFile(file)) {
            return HolidayCalendar.load(file);
        }
        try (java.io.InputStream in = ReceptionDomain.class.getClassLoader().getResourceAsStream("defaults/holidays-vn.csv")) {
            if (in == null) {
                throw new IllegalStateException("holiday table " + file + " not found and none is built in");
            }
            log.warn("holiday table {} not found; using the table built into this release", file);
            return HolidayCalendar.parse(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8), "built-in holidays-vn.csv");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the built-in holiday table", e);
        }
    }

    /** The routes; {@code resolveToken} resolves a WebSocket's token with every token kind the server knows. */
    public RouteModule routes(Function<String, Optional<Principal>> resolveToken) {
        return new DomainRoutes(new SessionController(sessions, joinTokens), new ScheduleController(schedules),
                new FloorController(floor, joinTokens), new AttendanceController(attendance, joinTokens),
                new PetitionController(petitions, cases, joinTokens), new CaseController(cases), new AgencyController(agencies),
                new SessionEventsSocket(events, sessions, joinTokens, resolveToken, timer,
                        revocations, eventSocketLimits));
    }

    /** Room join tokens as a second token kind beside user sign-in tokens. */
    public TokenResolver joinTokenResolver() {
        return joinTokens;
    }

    /** For the WHIP/WHEP routes: which session a join token belongs to, and who may publish. */
    public JoinTokens joinTokens() {
        return joinTokens;
    }

    /** For the media side: record every endpoint connect and disconnect. */
    public AttendanceRecorder attendance() {
        return attendance;
    }

    /** For the session record: attendance reports. */
    public AttendanceService attendanceReports() {
        return attendance;
    }

    /** For the session record: a session's petitions as rooms see them. */
    public PetitionService petitions() {
        return petitions;
    }

    /** For the media side: add a {@code FloorListener} to act on grants and revokes. */
    public FloorService floor() {
        return floor;
    }

    /** For the WHIP route: may this room publish into this session now (hosting room, or the room with the floor)? */
    public boolean mayPublish(String sessionId, String roomCode) {
        return joinTokens.mayPublish(sessionId, roomCode);
    }

    /** For the media side: the host's stream started (same as the host going live; repeated calls are harmless). */
    public void mediaReportedLive(String sessionId) {
        sessions.mediaReportedLive(mediaSessionId(sessionId));
    }

    /** For the media side: the host's stream ended for good. */
    public void mediaReportedEnded(String sessionId) {
        sessions.mediaReportedEnded(mediaSessionId(sessionId));
    }

    private static long mediaSessionId(String sessionId) {
        try {
            return Long.parseLong(sessionId);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("session " + sessionId + " does not exist");
        }
    }

    /**
     * At start-up, before anyone can connect: every session still LIVE was live when the previous
     * process died. Each becomes INTERRUPTED as of the last time that process was known alive (its
     * heartbeat, or the session's last audit entry when later or when there was no beat), and its
     * rooms' open connections close then, so attendance shows the outage as a gap. Not so while other
     * instances run on the same PostgreSQL database: the sessions are live there (a restart of one
     * instance behind a load balancer interrupts nothing).
     *
     * @return the ids of the sessions marked
     */
    public java.util.List<Long> interruptSessionsLeftLive(Optional<Instant> lastBeat, String reason) {
        if (eventRelay instanceof org.citizenreception.control.events.relay.PostgresEventRelay relay && relay.otherInstancesRunning()) {
            // Their sessions are live where they run: this instance's stop interrupted nothing the others serve.
            log.info("other control-api instances run on this database: their live sessions stay live");
            return java.util.List.of();
        }
        java.util.List<Long> marked = new java.util.ArrayList<>();
        for (long id : sessions.liveSessionIds()) {
            Instant lastAlive = latest(lastBeat, sessions.lastAuditedAt(id));
            if (sessions.markInterrupted(id, lastAlive, reason, c -> {
                attendance.closeOpenEndpoints(c, id, lastAlive, reason);
                return null;
            })) {
                marked.add(id);
                log.warn("session {} was live when the server stopped (last alive {}): marked INTERRUPTED", id, lastAlive);
            }
        }
        return marked;
    }

    private static Instant latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isPresent() && b.isPresent()) {
            return a.get().isAfter(b.get()) ? a.get() : b.get();
        }
        return a.or(() -> b).orElseGet(Instant::now);
    }

    /** For the media side: {@code mediaReportedLive} / {@code mediaReportedEnded}. */
    public SessionService sessions() {
        return sessions;
    }

    public ScheduleService schedules() {
        return schedules;
    }

    public EventBus events() {
        return events;
    }
}
