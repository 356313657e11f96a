package org.citizenreception.control.events.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.citizenreception.control.events.EventBus;
import org.citizenreception.control.events.LiveEvent;
import org.citizenreception.control.identity.Revocation;
import org.citizenreception.control.identity.Revocations;
import org.citizenreception.control.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events between control-api instances sharing one PostgreSQL database, through
 * {@code LISTEN}/{@code NOTIFY} on {@link #CHANNEL}: what a REST call on one instance publishes reaches
 * the consoles connected to every other one. No message bus of our own: PostgreSQL already connects
 * the instances and orders the notifications.
 *
 * <p><b>The event itself, not a row id.</b> A notification carries the event as the sockets would
 * send it (both views, already masked in the room view), cut into frames when it passes NOTIFY's
 * 8000-byte limit ({@link NotificationFrames}). The alternative, a table row whose id is notified,
 * would cost a write on the store's single writer for every event (floor changes, room stats) and a
 * table of personal data to clean up; the frames cost nothing on the writer and leave nothing behind
 * but PostgreSQL's notification queue, which holds no more than the sockets were sent.
 *
 * <p>Revocations travel the same way ({@link Revocations#relayTo}): a sign-out, a disabled account, a
 * closed or reassigned session on one instance closes the sockets and media endpoints it covers on
 * every instance at once, not only at the next token sweep.
 *
 * <p><b>Sending.</b> {@link EventBus#publish} hands each event to {@link #send}, which writes it as JSON and queues it
 * (publishers run after their commit and must not wait for the network). One thread sends the queue
 * in order on its own connection, several events per transaction, with {@code synchronous_commit}
 * off there: a notification is not data and needs no flush to disk. Every frame says which instance
 * sent it, so an instance ignores its own (its sockets had the event from the local bus already:
 * exactly once, no echo loop).
 *
 * <p><b>Listening.</b> A dedicated connection runs {@code LISTEN} and waits in
 * {@link PGConnection#getNotifications(int)} on its own thread, checking the connection when idle.
 * After the connection drops it reconnects with backoff (0.25 s doubling to 10 s), listens again and
 * only then tells the local consoles to {@link EventBus#RESYNC load the session again}, since events
 * of the gap are gone. The same happens everywhere when a sender had to drop events (queue full,
 * connection lost): once it can send again, it notifies a resync first.
 */
public final class PostgresEventRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresEventRelay.class);
    /** The NOTIFY channel; notifications stay within one database, so separate deployments on one server do not mix. */
    public static final String CHANNEL = "reception_live_events";
    /** Events waiting to be sent; past this (the database unreachable for long) they are dropped and a resync follows. */
    static final int OUTBOX_CAPACITY = 10_000;
    /** The connections' {@code application_name} prefixes (then the instance id), so pg_stat_activity tells them apart. */
    public static final String LISTEN_APPLICATION = "reception-listen-";
    public static final String NOTIFY_APPLICATION = "reception-notify-";
    private static final int EVENTS_PER_TRANSACTION = 64;
    private static final int IDLE_CHECK_MILLIS = 5_000;
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long LAST_RETRY_MILLIS = 10_000;

    private final Database database;
    private final EventBus bus;
    private final Revocations revocations;
    private final ObjectMapper json;
    private final String instance = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    /**
     * {@link LiveEvent}s and {@link Revocation}s as the JSON text to send, in the order they happened
     * here; written on the publishing thread, as the local sockets write theirs, so a view changed
     * after publishing cannot change what the other instances get.
     */
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    /** Set when events of this instance were dropped: the next transaction the sender commits starts with a resync. */
    private final AtomicBoolean lost = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Connection> listening = new AtomicReference<>();
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private final Counter sent;
    private final Counter received;
    private final Counter dropped;
    private final Counter reconnects;
    private final Thread sender;
    private final Thread listener;
    private long sequence;

    private PostgresEventRelay(Database database, EventBus bus, Revocations revocations, ObjectMapper json, MeterRegistry meters) {
        this.database = database;
        this.bus = bus;
        this.revocations = revocations;
        this.json = json;
        this.sent = Counter.builder("reception_api_events_relayed").tag("direction", "sent")
                .description("Live events this instance sent to the other instances on the database (NOTIFY)").register(meters);
        this.received = Counter.builder("reception_api_events_relayed").tag("direction", "received")
                .description("Live events of other instances delivered to this instance's sockets (LISTEN)").register(meters);
        this.dropped = Counter.builder("reception_api_events_relay_dropped")
                .description("Live events not sent to the other instances (queue full or database unreachable); a resync follows")
                .register(meters);
        this.reconnects = Counter.builder("reception_api_events_relay_reconnects")
                .description("Times the listening connection was opened again after a drop (each one resyncs the local consoles)")
                .register(meters);
        this.sender = new Thread(this::sendLoop, "live-events-notify");
        this.listener = new Thread(this::listenLoop, "live-events-listen");
        sender.setDaemon(true);
        listener.setDaemon(true);
    }

    /**
     * Starts relaying {@code bus}'s events through {@code database} (PostgreSQL). Returns once the
     * listening connection listens (or after 10 s of trying: then it keeps trying in the background),
     * so an event published by another instance right after this start is not missed.
     *
     * @param json the mapper the event sockets write with, so other instances' sockets send the same JSON
     */
    public static PostgresEventRelay start(Database database, EventBus bus, Revocations revocations, ObjectMapper json,
                                           MeterRegistry meters) {
        PostgresEventRelay relay = new PostgresEventRelay(database, bus, revocations, json, meters);
        relay.listener.start();
        relay.sender.start();
        bus.relayTo(relay::send);
        revocations.relayTo(relay::send);
        try {
            if (!relay.firstListen.await(10, TimeUnit.SECONDS)) {
                log.warn("live events between instances: not listening yet, retrying in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return relay;
    }

    /**
     * Whether another control-api instance is running on the database now: one whose listening
     * connection is open. A process that ends closes it at once; a machine that vanished is noticed by
     * the server's TCP keepalives on that connection (set short, see the listen loop) within about 30 s.
     */
    public boolean otherInstancesRunning() {
        try (Connection c = database.unpooledConnection();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND application_name LIKE ? AND application_name <> ?")) {
            st.setString(1, LISTEN_APPLICATION + "%");
            st.setString(2, LISTEN_APPLICATION + instance);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not tell whether other instances run on the database", e);
        }
    }

    /** This instance's id in the frames it sends. */
    public String instance() {
        return instance;
    }

    /** Queues an event or revocation for the other instances; never blocks (called after commits, on request threads). */
    private void send(Object event) {
        if (stopped.getCount() == 0) {
            return;
        }
        String text;
        try {
            text = json.writeValueAsString(event instanceof Revocation r ? encode(r) : encode((LiveEvent) event));
        } catch (IOException | RuntimeException e) {
            log.warn("live events between instances: an event could not be written as JSON and was not sent: {}", e.getMessage());
            dropped.increment();
            lost.set(true);
            return;
        }
        if (!outbox.offer(text)) {
            dropped.increment();
            lost.set(true);
        }
    }

    private void sendLoop() {
        Connection connection = null;
        long retry = FIRST_RETRY_MILLIS;
        List<String> batch = new ArrayList<>(EVENTS_PER_TRANSACTION);
        while (stopped.getCount() > 0) {
            boolean fresh = false;
            try {
                if (batch.isEmpty()) {
                    String first = outbox.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        outbox.drainTo(batch, EVENTS_PER_TRANSACTION - 1);
                    }
                }
                if (batch.isEmpty() && !lost.get()) {
                    continue;
                }
                if (connection == null) {
                    fresh = true;
                    connection = database.unpooledConnection();
                    try (Statement st = connection.createStatement()) {
                        st.execute("SET synchronous_commit = off");
                        st.execute("SET application_name = '" + NOTIFY_APPLICATION + instance + "'");
                    }
                    connection.setAutoCommit(false);
                }
                notify(connection, batch);
                batch.clear();
                retry = FIRST_RETRY_MILLIS;
            } catch (InterruptedException e) {
                break;
            } catch (SQLException | RuntimeException e) {
                if (stopped.getCount() == 0) {
                    break;
                }
                closeQuietly(connection);
                connection = null;
                if (!fresh) {
                    // A connection idle since the last send, which the server or the network dropped meanwhile: once more on a new one.
                    log.info("live events between instances: the sending connection was gone ({}); sending again", e.getMessage());
                    continue;
                }
                // The batch's transaction did not commit, so none of it went out: dropped, and a resync follows.
                log.warn("live events between instances: sending failed ({} events dropped), retrying in {} ms: {}", batch.size(), retry,
                        e.getMessage());
                dropped.increment(batch.size());
                batch.clear();
                lost.set(true);
                if (pause(retry)) {
                    break;
                }
                retry = Math.min(LAST_RETRY_MILLIS, retry * 2);
            }
        }
        closeQuietly(connection);
    }

    /** Sends one transaction: a resync first when events were lost before, then the batch's frames. */
    private void notify(Connection connection, List<String> batch) throws SQLException {
        boolean resync = lost.getAndSet(false);
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, CHANNEL);
            if (resync) {
                frames(st, "{\"resync\":\"events-lost\"}");
            }
            for (String message : batch) {
                frames(st, message);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            lost.compareAndSet(false, resync);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped by the caller
            }
            throw e;
        }
        sent.increment(batch.size());
    }

    private void frames(PreparedStatement st, String text) throws SQLException {
        for (String frame : NotificationFrames.split(instance, sequence++, text)) {
            st.setString(2, frame);
            st.execute();
        }
    }

    /** The event in the form other instances' sockets send: both views as JSON trees, the room view masked as it is here. */
    private ObjectNode encode(LiveEvent event) {
        ObjectNode message = json.createObjectNode();
        message.put("session", event.sessionId());
        message.put("type", event.type());
        message.set("staff", json.valueToTree(event.staffView()));
        if (event.roomView() == event.staffView()) {
            message.put("roomSeesStaffView", true);
        } else {
            message.set("room", json.valueToTree(event.roomView()));
        }
        if (event.forRoom() != null) {
            message.put("forRoom", event.forRoom());
        }
        return message;
    }

    /** A revocation carries ids and a token's SHA-256 (never the token), as the local listeners get it. */
    private ObjectNode encode(Revocation r) {
        ObjectNode message = json.createObjectNode();
        message.set("revocation", json.valueToTree(r));
        return message;
    }

    private static LiveEvent decode(JsonNode message) {
        JsonNode staff = orNull(message.get("staff"));
        JsonNode room = message.path("roomSeesStaffView").asBoolean(false) ? staff : orNull(message.get("room"));
        String forRoom = message.hasNonNull("forRoom") ? message.get("forRoom").asText() : null;
        return new LiveEvent(message.get("session").asLong(), message.get("type").asText(), staff, room, forRoom);
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private void listenLoop() {
        long retry = FIRST_RETRY_MILLIS;
        boolean listenedBefore = false;
        while (stopped.getCount() > 0) {
            NotificationFrames.Assembler assembler = new NotificationFrames.Assembler();
            try (Connection connection = database.unpooledConnection()) {
                listening.set(connection);
                if (stopped.getCount() == 0) {
                    break;
                }
                try (Statement st = connection.createStatement()) {
                    st.execute("SET application_name = '" + LISTEN_APPLICATION + instance + "'");
                    // The server drops this connection (and other instances stop counting this one as running) ~30 s after
                    // this machine vanishes, instead of after the system's default of two hours.
                    st.execute("SET tcp_keepalives_idle = 15");
                    st.execute("SET tcp_keepalives_interval = 5");
                    st.execute("SET tcp_keepalives_count = 3");
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                if (listenedBefore) {
                    reconnects.increment();
                    log.info("live events between instances: listening again; local consoles reload their sessions");
                    bus.resyncAll("listener-reconnected");
                }
                listenedBefore = true;
                firstListen.countDown();
                retry = FIRST_RETRY_MILLIS;
                while (stopped.getCount() > 0) {
                    PGNotification[] notifications = pg.getNotifications(IDLE_CHECK_MILLIS);
                    if (notifications == null || notifications.length == 0) {
                        // Quiet: make sure the connection is still there (a dropped one may not say so by itself).
                        if (!connection.isValid(IDLE_CHECK_MILLIS / 1000)) {
                            throw new SQLException("the listening connection stopped answering");
                        }
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        if (CHANNEL.equals(n.getName())) {
                            handle(assembler, n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped.getCount() == 0) {
                    break;
                }
                log.warn("live events between instances: the listening connection failed, reconnecting in {} ms: {}", retry, e.getMessage());
            } finally {
                listening.set(null);
            }
            if (pause(retry)) {
                break;
            }
            retry = Math.min(LAST_RETRY_MILLIS, retry * 2);
        }
    }

    private void handle(NotificationFrames.Assembler assembler, String payload) {
        Optional<NotificationFrames.Frame> frame = NotificationFrames.parse(payload);
        if (frame.isEmpty() || frame.get().instance().equals(instance)) {
            return; // not ours to read, or this instance's own event (delivered locally already)
        }
        NotificationFrames.Assembler.Result result = assembler.accept(frame.get());
        if (result.broken()) {
            log.warn("live events between instances: a message from instance {} arrived incomplete; local consoles reload",
                    frame.get().instance());
            bus.resyncAll("events-lost");
        }
        if (result.message().isEmpty()) {
            return;
        }
        try {
            JsonNode message = json.readTree(result.message().get());
            if (message.has("resync")) {
                bus.resyncAll(message.get("resync").asText());
                return;
            }
            if (message.has("revocation")) {
                revocations.deliverFromOtherInstance(json.treeToValue(message.get("revocation"), Revocation.class));
                return;
            }
            bus.deliverFromOtherInstance(decode(message));
            received.increment();
        } catch (IOException | RuntimeException e) {
            log.warn("live events between instances: an unreadable message from instance {} was skipped: {}", frame.get().instance(),
                    e.getMessage());
        }
    }

    /** Waits {@code millis} or until closed; true when closed. */
    private boolean pause(long millis) {
        try {
            return stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }

    /** Stops both threads; events still queued are not sent (the process is going away). */
    @Override
    public void close() {
        bus.relayTo(event -> { });
        revocations.relayTo(r -> { });
        stopped.countDown();
        // Wakes the listener out of getNotifications: abort closes the socket without waiting for the connection's lock.
        Connection connection = listening.get();
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // the listener ends at its next check anyway
            }
        }
        sender.interrupt();
        try {
            sender.join(5_000);
            listener.join(5_000);
            awaitListenerGone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits (up to 2 s) until the server has ended this instance's listening session, so that an
     * instance started right after this one stopped does not count this one as running (see
     * {@link #otherInstancesRunning}): the server ends it shortly after the socket closes, not at once.
     */
    private void awaitListenerGone() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try (Connection c = database.unpooledConnection();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, LISTEN_APPLICATION + instance);
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
            log.warn("live events between instances: the listening session was still open 2 s after closing");
        } catch (SQLException e) {
            // The database is unreachable: nothing to count this instance by either.
        }
    }
}
