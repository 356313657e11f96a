package org.citizenreception.control.message;

import io.javalin.http.Context;
import java.util.Map;
import org.citizenreception.control.http.Authentication;
import org.citizenreception.control.http.JsonBody;
import org.citizenreception.control.petition.PetitionInput;
import org.citizenreception.control.session.JoinTokens;
import org.citizenreception.control.session.SessionController;
import org.citizenreception.control.identity.Principal;
import org.citizenreception.control.identity.Role;
import org.citizenreception.control.validation.Fields;

/** Room message endpoints: parse, check the caller's role and session, hand to the service. */
public final class RoomMessageController {
    /** The body of POST .../messages: a quick button, a text, or both. */
    public record MessageInput(QuickMessage quick, String text) {
    }

    /** The body of POST .../replies. */
    public record ReplyInput(String text) {
    }

    private final RoomMessageService messages;
    private final JoinTokens tokens;

    public RoomMessageController(RoomMessageService messages, JoinTokens tokens) {
        this.messages = messages;
        this.tokens = tokens;
    }

    public void send(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        MessageInput in = JsonBody.read(ctx, MessageInput.class);
        ctx.status(201).json(messages.send(p, ctx.ip(), id, ctx.pathParam("room"), in.quick(), in.text()));
    }

    public void roomThread(Context ctx) {
        Principal p = Authentication.caller(ctx);
        long id = SessionController.id(ctx);
        tokens.requireSession(ctx, p, id);
        ctx.json(Map.of("messages", messages.list(p, id, ctx.pathParam("room"))));
    }

    public void all(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ctx.json(Map.of("messages", messages.list(p, SessionController.id(ctx), null)));
    }

    public void reply(Context ctx) {
        Principal p = Authentication.caller(ctx);
        ReplyInput in = JsonBody.read(ctx, ReplyInput.class);
        ctx.status(201).json(messages.reply(p, ctx.ip(), SessionController.id(ctx), Fields.id("message", ctx.pathParam("message")), in.text()));
    }

    public void petition(Context ctx) {
        Principal p = Authentication.caller(ctx);
        PetitionInput in = JsonBody.read(ctx, PetitionInput.class);
        ctx.status(201).json(messages.draftPetition(p, ctx.ip(), SessionController.id(ctx), Fields.id("message", ctx.pathParam("message")), in));
    }
}
