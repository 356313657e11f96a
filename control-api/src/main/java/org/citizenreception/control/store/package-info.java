/**
 * The storage layer: the SQLite database, its migrations, and the one way to run SQL against it.
 *
 * <p>Every repository in the application takes a {@link java.sql.Connection} handed to it by
 * {@link org.citizenreception.control.store.Transactions}: {@code inTransaction} for anything that
 * writes, {@code read} for queries. Repositories use plain SQL with prepared statements only (never
 * string-built SQL with values in it) and nothing SQLite-specific beyond what a PostgreSQL dialect
 * could replace, so the store can move to PostgreSQL when several control-api instances share one.
 *
 * <p>Callers: services of every domain package. HTTP controllers never touch a connection.
 */
package org.citizenreception.control.store;
