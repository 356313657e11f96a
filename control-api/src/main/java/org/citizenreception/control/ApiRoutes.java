package org.citizenreception.control;

import io.javalin.config.RoutesConfig;
import java.util.List;
import org.citizenreception.control.audit.AuditController;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.OpenApiController;
import org.citizenreception.control.http.RouteModule;
import org.citizenreception.control.identity.TokenResolver;
import org.citizenreception.control.room.RoomController;
import org.citizenreception.control.user.AuthController;
import org.citizenreception.control.user.UserController;

/**
 * Every route of {@code /api/v1}, in one place. Controllers check roles themselves
 * ({@code Authentication.require}); the role each route admits is listed in the OpenAPI document
 * ({@code x-roles}) and checked by the role matrix test. A new route also needs its entry in
 * {@code openapi/*.json}: a test fails when the two differ.
 */
final class ApiRoutes implements RouteModule {
    private final List<TokenResolver> tokenResolvers;
    private final OpenApiController openApi;
    private final AuthController auth;
    private final UserController users;
    private final RoomController rooms;
    private final AuditController audit;

    ApiRoutes(List<TokenResolver> tokenResolvers, OpenApiController openApi, AuthController auth, UserController users,
              RoomController rooms, AuditController audit) {
        this.tokenResolvers = List.copyOf(tokenResolvers);
        this.openApi = openApi;
        this.auth = auth;
        this.users = users;
        this.rooms = rooms;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before("/api/*", Authentication.filter(tokenResolvers));
        // WHIP and WHEP sit outside /api (their paths are fixed by RFC 9725 and the WHEP draft) but take the same tokens.
        routes.before("/whip/*", Authentication.filter(tokenResolvers));
        routes.before("/whep/*", Authentication.filter(tokenResolvers));

        routes.get("/api/v1/openapi.json", openApi::serve);

        routes.post("/api/v1/auth/login", auth::login);
        routes.post("/api/v1/auth/logout", auth::logout);
        routes.get("/api/v1/auth/me", auth::me);
        routes.post("/api/v1/auth/password", auth::changePassword);

        routes.get("/api/v1/users", users::list);
        routes.post("/api/v1/users", users::create);
        routes.get("/api/v1/users/{id}", users::get);
        routes.patch("/api/v1/users/{id}", users::update);
        routes.delete("/api/v1/users/{id}", users::delete);
        routes.delete("/api/v1/users/{id}/sessions", users::endSessions);

        routes.get("/api/v1/rooms", rooms::list);
        routes.post("/api/v1/rooms", rooms::create);
        routes.post("/api/v1/rooms/import", rooms::importCsv);
        routes.get("/api/v1/rooms/{code}", rooms::get);
        routes.patch("/api/v1/rooms/{code}", rooms::update);
        routes.delete("/api/v1/rooms/{code}", rooms::retire);

        routes.get("/api/v1/audit", audit::list);
        routes.get("/api/v1/audit/verify", audit::verify);
        routes.get("/api/v1/audit/export", audit::export);
        routes.get("/api/v1/audit/checkpoints", audit::checkpoints);

        // --- Sessions, schedules, attendance, petitions, floor, live events (domain) go here. ---
    }
}
