package org.citizenreception.control.identity;

import java.util.Optional;
import org.citizenreception.control.identity.Principal;

/**
 * Turns a bearer token into the caller it stands for. {@link Authentication} asks each registered
 * resolver in turn; the first that recognises the token wins. User sign-in tokens are one kind; a
 * room join token for WHIP/WHEP is another, resolving to a principal bound to its room.
 *
 * <p>A resolver must return empty (never throw) for a token it does not know, an expired or
 * revoked one, or one of another kind, and must run in constant time per lookup (a hash index),
 * because it runs on every request.
 */
@FunctionalInterface
public interface TokenResolver {
    Optional<Principal> resolve(String bearer);
}
