package org.citizenreception.control.user;

import org.citizenreception.control.identity.Principal;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.error.DomainErrors;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;

/**
 * {@code /api/v1/auth}: sign in (public), sign out, who-am-I and changing one's own password (any
 * signed-in account).
 */
public final class AuthController {
    record LoginRequest(String username, String password) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    private final AuthService auth;

    public AuthController(AuthService auth) {
        this.auth = auth;
    }

    public void login(Context ctx) {
        LoginRequest req = JsonBody.read(ctx, LoginRequest.class);
        if (req.username() == null || req.username().isBlank() || req.username().length() > 200) {
            throw DomainErrors.invalid("username", "required");
        }
        if (req.password() == null || req.password().isEmpty() || req.password().length() > 1000) {
            throw DomainErrors.invalid("password", "required");
        }
        AuthService.Login login = auth.login(req.username(), req.password(), ctx.ip());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", login.token());
        body.put("expiresAt", login.expiresAt().toString());
        body.put("user", login.user());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    public void logout(Context ctx) {
        Principal p = Authentication.caller(ctx);
        auth.logout(Authentication.bearer(ctx).orElseThrow(), p, ctx.ip());
        ctx.status(204);
    }

    /** {@code POST /api/v1/auth/password}: the signed-in user changes their own password. */
    public void changePassword(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (p.userId() <= 0) {
            throw DomainErrors.forbidden("a join token has no password");
        }
        PasswordChange req = JsonBody.read(ctx, PasswordChange.class);
        if (req.currentPassword() == null || req.currentPassword().isEmpty() || req.currentPassword().length() > 1000) {
            throw DomainErrors.invalid("currentPassword", "required");
        }
        auth.changePassword(Authentication.bearer(ctx).orElseThrow(), req.currentPassword(), req.newPassword(), ctx.ip());
        ctx.status(204);
    }

    public void me(Context ctx) {
        Principal p = Authentication.caller(ctx);
        if (p.userId() == 0) {
            throw DomainErrors.forbidden("A room join token belongs to a room console, not to an account");
        }
        User user = auth.user(Authentication.bearer(ctx).orElseThrow())
                .orElseThrow(() -> DomainErrors.unauthorized("The token is no longer valid"));
        ctx.json(user);
    }
}
