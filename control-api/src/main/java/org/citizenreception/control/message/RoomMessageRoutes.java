package org.citizenreception.control.message;

import io.javalin.config.RoutesConfig;
import org.citizenreception.control.http.RouteModule;

/** The room message routes (documented in openapi/paths-room-messages.json). */
public final class RoomMessageRoutes implements RouteModule {
    private static final String SESSION = "/api/v1/sessions/{id}";

    private final RoomMessageController messages;

    public RoomMessageRoutes(RoomMessageController messages) {
        this.messages = messages;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(SESSION + "/rooms/{room}/messages", messages::send);
        routes.get(SESSION + "/rooms/{room}/messages", messages::roomThread);
        routes.get(SESSION + "/messages", messages::all);
        routes.post(SESSION + "/messages/{message}/replies", messages::reply);
        routes.post(SESSION + "/messages/{message}/petition", messages::petition);
    }
}
