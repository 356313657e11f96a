/**
 * Accounts, roles, sign-in and bearer tokens. {@link org.citizenreception.control.user.AuthService}
 * is the token resolver of user sessions; {@link org.citizenreception.control.user.UserService}
 * administers accounts under the rules its Javadoc lists. Passwords are hashed with Argon2id and
 * never logged, returned or audited.
 */
package org.citizenreception.control.user;
