package org.citizenreception.control.http;

import java.util.Set;
import org.citizenreception.control.identity.Role;

/**
 * One route of the routes table: method and path as registered ({@code GET} for a WebSocket's
 * upgrade), the roles it admits and its object scope.
 */
public record AccessRule(String method, String path, Set<Role> roles, Scope scope, boolean websocket) {
    public AccessRule {
        roles = Set.copyOf(roles);
    }

    public String route() {
        return method + " " + path;
    }
}
