package org.citizenreception.control.user;

import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.error.FieldError;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.http.PatchBody;

/** {@code /api/v1/users}: account administration, admins only. */
public final class UserController {
    record CreateRequest(String username, String displayName, Role role, String roomCode, String password, String unitCode) {
    }

    static final Set<String> PATCH_FIELDS = Set.of("displayName", "role", "roomCode", "password", "disabled", "unitCode");

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    public void list(Context ctx) {
        ctx.json(users.list());
    }

    public void get(Context ctx) {
        ctx.json(users.get(id(ctx)));
    }

    public void create(Context ctx) {
        Principal p = Authentication.caller(ctx);
        CreateRequest r = JsonBody.read(ctx, CreateRequest.class);
        User created = users.create(new UserService.NewUser(r.username(), r.displayName(), r.role(), r.roomCode(),
                r.password(), r.unitCode()), p, ctx.ip());
        ctx.status(201).header("Location", "/api/v1/users/" + created.id()).json(created);
    }

    public void update(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = id(ctx);
        PatchBody patch = PatchBody.read(ctx, PATCH_FIELDS);
        Optional<String> displayName = patch.text("displayName").map(v -> v.orElseThrow(
                () -> DomainErrors.invalid("displayName", "cannot be null")));
        Optional<Role> role = patch.text("role").map(v -> role(v.orElseThrow(
                () -> DomainErrors.invalid("role", "cannot be null"))));
        Optional<String> password = patch.text("password").map(v -> v.orElseThrow(
                () -> DomainErrors.invalid("password", "cannot be null")));
        ctx.json(users.update(id, new UserService.Change(displayName, role, patch.text("roomCode"), password,
                patch.bool("disabled"), patch.text("unitCode").map(v -> v.orElseThrow(
                () -> DomainErrors.invalid("unitCode", "cannot be null")))), p, ctx.ip()));
    }

    public void delete(Context ctx) {
        Principal p = Authentication.caller(ctx);
        UserService.Removal removal = users.delete(id(ctx), p, ctx.ip());
        if (removal.deleted()) {
            ctx.status(204);
        } else {
            ctx.json(removal.user());
        }
    }

    /** {@code DELETE /api/v1/users/{id}/sessions}: 200 {@code {"revoked": n}}. */
    public void endSessions(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(java.util.Map.of("revoked", users.endSessions(id(ctx), p, ctx.ip())));
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw DomainErrors.notFound("User " + ctx.pathParam("id"));
        }
    }

    private static Role role(String value) {
        try {
            return Role.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainErrors.badRequest("role: expected one of ADMIN, HOST, SECRETARY, ROOM_OPERATOR",
                    new FieldError("role", "expected one of ADMIN, HOST, SECRETARY, ROOM_OPERATOR"));
        }
    }
}
