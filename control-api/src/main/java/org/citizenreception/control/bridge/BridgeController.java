package org.citizenreception.control.bridge;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.citizenreception.control.audit.AuditLog;
import org.citizenreception.control.http.ApiException;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.Problem;
import org.citizenreception.control.http.RouteModule;

/**
 * Control-api's routes about media bridges: a bridge's registration and heartbeat ({@code PUT
 * /api/v1/bridges/{id}}) and its events, both authenticated by {@link BridgeToken} before this runs
 * (the routes table's {@code BRIDGE} scope); and the administrator's list and drain. A registration
 * (first heartbeat, or the first after the bridge was dead) and a drain are audited; the heartbeats in
 * between are not (one every 2 s per bridge would bury the log) and neither are events, which are
 * recorded where they belong (attendance).
 *
 * <p>In embedded mode ({@code registry} empty) the bridge routes answer 409: nothing registers.
 */
public final class BridgeController implements RouteModule {
    private static final String API = "/api/v1/bridges";

    private final Optional<BridgeRegistry> registry;
    private final Optional<RemoteConferenceBridges> remote;
    private final AuditLog audit;

    public BridgeController(Optional<BridgeRegistry> registry, Optional<RemoteConferenceBridges> remote, AuditLog audit) {
        this.registry = registry;
        this.remote = remote;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(API, this::list);
        routes.put(API + "/{id}", this::heartbeat);
        routes.post(API + "/{id}/events", this::events);
        routes.post(API + "/{id}/drain", this::drain);
    }

    private BridgeRegistry registry() {
        return registry.orElseThrow(() -> ApiException.conflict("Media runs embedded (media.bridges = embedded): no bridges register"));
    }

    private void heartbeat(Context ctx) {
        BridgeRegistry registry = registry();
        BridgeWire.Heartbeat h = JsonBody.read(ctx, BridgeWire.Heartbeat.class);
        if (h.apiUrl() == null || !(h.apiUrl().startsWith("http://") || h.apiUrl().startsWith("https://"))) {
            throw bad("apiUrl", "must be the bridge API's http:// or https:// URL");
        }
        if (h.mediaAddress() == null || h.mediaAddress().isBlank()) {
            throw bad("mediaAddress", "is required (host:port)");
        }
        if (h.capacity() < 1) {
            throw bad("capacity", "must be a positive number of endpoints");
        }
        if (h.endpoints() < 0) {
            throw bad("endpoints", "must not be negative");
        }
        String id = ctx.pathParam("id");
        BridgeWire.Heartbeat normalized = h.region() == null ? new BridgeWire.Heartbeat(h.apiUrl(), h.mediaAddress(), "",
                h.capacity(), h.endpoints(), h.packetsPerSecond(), h.cpuLoad()) : h;
        // On record before it takes endpoints: a registration whose entry cannot be written is refused
        // (nothing changed) and the next heartbeat tries again. One bridge's heartbeats come one at a time.
        if (registry.wouldRegister(id)) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("apiUrl", normalized.apiUrl());
            detail.put("region", normalized.region());
            detail.put("capacity", normalized.capacity());
            audit.record(null, ctx.ip(), "bridge.register", "bridge", id, detail);
        }
        registry.heartbeat(id, normalized);
        ctx.json(view(registry.find(id).orElseThrow()));
    }

    private void events(Context ctx) {
        registry();
        BridgeWire.Events events = JsonBody.read(ctx, BridgeWire.Events.class);
        if (events.events() == null) {
            throw bad("events", "is required");
        }
        for (int i = 0; i < events.events().size(); i++) {
            BridgeWire.Event e = events.events().get(i);
            if (e == null || e.type() == null || e.conferenceId() == null) {
                throw bad("events[" + i + "]", "needs a type and a conferenceId");
            }
        }
        remote.ifPresent(r -> r.receive(ctx.pathParam("id"), events.events()));
        ctx.status(204);
    }

    private void list(Context ctx) {
        List<BridgeRegistry.Bridge> all = registry.map(BridgeRegistry::all).orElse(List.of());
        ctx.json(Map.of("mode", registry.isPresent() ? "remote" : "embedded", "bridges", all.stream().map(BridgeController::view).toList()));
    }

    private void drain(Context ctx) {
        String id = ctx.pathParam("id");
        BridgeRegistry.Bridge drained = registry().drain(id).orElseThrow(() -> ApiException.notFound("Bridge " + id));
        audit.record(Authentication.caller(ctx), ctx.ip(), "bridge.drain", "bridge", id, Map.of("endpoints", drained.heartbeat().endpoints()));
        ctx.json(view(drained));
    }

    static Map<String, Object> view(BridgeRegistry.Bridge b) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", b.id());
        v.put("state", !b.alive() ? "DEAD" : b.draining() ? "DRAINING" : "ACTIVE");
        v.put("region", b.heartbeat().region());
        v.put("apiUrl", b.heartbeat().apiUrl());
        v.put("mediaAddress", b.heartbeat().mediaAddress());
        v.put("capacity", b.heartbeat().capacity());
        v.put("endpoints", b.heartbeat().endpoints());
        v.put("packetsPerSecond", b.heartbeat().packetsPerSecond());
        v.put("cpuLoad", b.heartbeat().cpuLoad());
        v.put("registeredAt", b.registeredAt().toString());
        v.put("lastHeartbeatAt", b.lastHeartbeatAt().toString());
        return v;
    }

    private static ApiException bad(String field, String message) {
        return ApiException.badRequest(field + ": " + message, new Problem.FieldError(field, message));
    }
}
