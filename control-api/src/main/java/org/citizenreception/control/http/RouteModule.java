package org.citizenreception.control.http;

import io.javalin.config.RoutesConfig;

/**
 * One area's routes (health, auth, rooms, sessions, ...). Each module declares its routes in one
 * place and leaves parsing and validation to its controller, business rules to its service.
 */
@FunctionalInterface
public interface RouteModule {
    void register(RoutesConfig routes);
}
