package org.citizenreception.control;

import io.javalin.config.RoutesConfig;
import org.citizenreception.control.attendance.AttendanceController;
import org.citizenreception.control.events.socket.SessionEventsSocket;
import org.citizenreception.control.floor.FloorController;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.agency.AgencyController;
import org.citizenreception.control.petition.CaseController;
import org.citizenreception.control.petition.PetitionController;
import org.citizenreception.control.session.ScheduleController;
import org.citizenreception.control.session.SessionController;

/**
 * Every route of sessions, schedules, floor, attendance, petitions and live events, in one place.
 * Roles are checked in the controllers (see each handler's first line); the role matrix test
 * exercises every line below.
 */
final class DomainRoutes implements RouteModule {
    private static final String API = "/api/v1";

    private final SessionController sessions;
    private final ScheduleController schedules;
    private final FloorController floor;
    private final AttendanceController attendance;
    private final PetitionController petitions;
    private final CaseController cases;
    private final AgencyController agencies;
    private final SessionEventsSocket events;

    DomainRoutes(SessionController sessions, ScheduleController schedules, FloorController floor, AttendanceController attendance,
                 PetitionController petitions, CaseController cases, AgencyController agencies, SessionEventsSocket events) {
        this.cases = cases;
        this.agencies = agencies;
        this.sessions = sessions;
        this.schedules = schedules;
        this.floor = floor;
        this.attendance = attendance;
        this.petitions = petitions;
        this.events = events;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(API + "/sessions", sessions::create);
        routes.get(API + "/sessions", sessions::list);
        routes.get(API + "/sessions/{id}", sessions::get);
        routes.patch(API + "/sessions/{id}", sessions::update);
        routes.post(API + "/sessions/{id}/state", sessions::changeState);
        routes.get(API + "/sessions/{id}/rooms", sessions::invitedRooms);
        routes.post(API + "/sessions/{id}/join-tokens", sessions::issueJoinLinks);
        routes.post(API + "/sessions/{id}/rooms/{room}/join-token", sessions::issueJoinToken);
        routes.delete(API + "/sessions/{id}/rooms/{room}/join-token", sessions::revokeJoinTokens);

        routes.post(API + "/session-schedules", schedules::create);
        routes.post(API + "/session-schedules/preview", schedules::preview);
        routes.get(API + "/session-schedules", schedules::list);
        routes.post(API + "/session-schedules/{id}/generate", schedules::generate);

        routes.get(API + "/sessions/{id}/floor", floor::get);
        routes.post(API + "/sessions/{id}/floor", floor::grant);
        routes.delete(API + "/sessions/{id}/floor", floor::revoke);
        routes.post(API + "/sessions/{id}/hands", floor::raise);
        routes.delete(API + "/sessions/{id}/hands/{room}", floor::lower);

        routes.get(API + "/sessions/{id}/attendance", attendance::report);
        routes.get(API + "/sessions/{id}/attendance.csv", attendance::csv);
        routes.post(API + "/sessions/{id}/rooms/{room}/officials", attendance::addOfficial);
        routes.delete(API + "/sessions/{id}/rooms/{room}/officials/{official}", attendance::removeOfficial);
        routes.put(API + "/sessions/{id}/rooms/{room}/citizens", attendance::setCitizens);

        routes.post(API + "/sessions/{id}/petitions", petitions::register);
        routes.get(API + "/sessions/{id}/petitions", petitions::listOfSession);
        routes.get(API + "/petitions", petitions::search);
        routes.get(API + "/petitions.csv", petitions::exportCsv);
        routes.get(API + "/petitions/{id}", petitions::get);
        routes.patch(API + "/petitions/{id}", petitions::update);
        routes.get(API + "/petitions/{id}/versions", petitions::versions);
        routes.get(API + "/petitions/{id}/annotations", petitions::annotations);
        routes.post(API + "/petitions/{id}/annotations", petitions::annotate);
        routes.post(API + "/petitions/{id}/status", petitions::changeStatus);
        routes.post(API + "/petitions/{id}/split", petitions::split);
        routes.post(API + "/petitions/{id}/extensions", petitions::extend);
        routes.get(API + "/petitions/{id}/steps", cases::caseFile);
        routes.post(API + "/petitions/{id}/steps", cases::recordStep);
        routes.post(API + "/petitions/{id}/links", cases::link);
        routes.post(API + "/petitions/case-history", cases::earlierPetitions);

        routes.get(API + "/agencies", agencies::list);
        routes.post(API + "/agencies", agencies::create);
        routes.patch(API + "/agencies/{id}", agencies::update);

        routes.ws(API + "/sessions/{id}/events", events::configure);
    }
}
