/**
 * The storage layer: the database (the embedded SQLite file, or PostgreSQL with {@code store.url}),
 * its migrations ({@code db/migration} for SQLite, {@code db/postgresql}), and the one way to run SQL against it.
 *
 * <p>Every repository in the application takes a {@link java.sql.Connection} handed to it by
 * {@link org.citizenreception.control.store.Transactions}: {@code inTransaction} for anything that
 * writes, {@code read} for queries. Repositories use plain SQL with prepared statements only (never
 * string-built SQL with values in it) and SQL both databases read alike; what differs is asked of
 * {@link org.citizenreception.control.store.Dialect}, in one place.
 *
 * <p>Callers: services of every domain package. HTTP controllers never touch a connection.
 */
package org.citizenreception.control.store;
