/**
 * Live events and revocations between control-api instances that share one PostgreSQL database:
 * sent with NOTIFY, heard with LISTEN, and delivered to the local consoles as if published here.
 * Nothing of it runs on SQLite, where one instance holds the database.
 */
package org.citizenreception.control.events.relay;
