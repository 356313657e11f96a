package org.citizenreception.control.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the data lives: the embedded SQLite file (the default), or a PostgreSQL database named by a
 * JDBC URL ({@code store.url}) that several control-api instances may share.
 *
 * @param file     the SQLite database file; used when {@code url} is null
 * @param url      {@code jdbc:postgresql://host:port/database}, or null for SQLite
 * @param user     the PostgreSQL role (may be empty when the URL carries it)
 * @param password its password (may be empty); never logged nor shown
 */
public record StoreSettings(Path file, String url, String user, String password) {
    public static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";

    public StoreSettings {
        if (url != null && !url.startsWith(POSTGRESQL_URL_PREFIX)) {
            throw new IllegalArgumentException("store.url must start with " + POSTGRESQL_URL_PREFIX + " (or be empty for SQLite)");
        }
        if (url == null) {
            Objects.requireNonNull(file, "file");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    public static StoreSettings sqlite(Path file) {
        return new StoreSettings(file, null, "", "");
    }

    public static StoreSettings postgresql(String url, String user, String password) {
        return new StoreSettings(null, url, user, password);
    }

    public Dialect dialect() {
        return url == null ? Dialect.SQLITE : Dialect.POSTGRESQL;
    }

    /** For logs and the welcome text: the file, or the URL without its query (which may hold a password). */
    public String describe() {
        if (url == null) {
            return file.toAbsolutePath().toString();
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "StoreSettings[" + describe() + (user.isEmpty() ? "" : ", user " + user) + "]";
    }
}
