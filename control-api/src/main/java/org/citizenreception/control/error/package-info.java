/**
 * The errors services throw: what went wrong in the domain's terms (not found, conflict, an invalid
 * field, forbidden, a stale version, ...), with no HTTP status. The HTTP layer
 * ({@code http.ErrorMapping}) maps each to problem+json once. A leaf: it depends on nothing of
 * ours, and anything may throw from it. A request that ends in one of these has changed nothing.
 */
package org.citizenreception.control.error;
