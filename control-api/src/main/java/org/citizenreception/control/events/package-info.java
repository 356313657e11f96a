/**
 * Live events of a session: an in-process {@link org.citizenreception.control.events.EventBus} the
 * domain services publish to after their transaction commits, and the WebSocket that pushes each
 * event to the consoles of that session, in the form the subscriber's role may see.
 */
package org.citizenreception.control.events;
