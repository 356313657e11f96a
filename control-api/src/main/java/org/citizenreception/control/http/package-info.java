/**
 * HTTP plumbing every area uses: the server, problem+json error mapping ({@link
 * org.citizenreception.control.http.ApiException}), access control ({@link
 * org.citizenreception.control.http.Authentication}, {@link org.citizenreception.control.identity.TokenResolver}),
 * body reading ({@link org.citizenreception.control.http.JsonBody}, {@link
 * org.citizenreception.control.http.PatchBody}), request metrics and log, and the OpenAPI document.
 *
 * <p>Controllers of every area call into this package; this package calls no domain service.
 */
package org.citizenreception.control.http;
