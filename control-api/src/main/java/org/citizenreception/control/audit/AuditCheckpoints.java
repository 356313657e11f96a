package org.citizenreception.control.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.citizenreception.control.store.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where checkpoints of the audit chain's head go: appended, one JSON line each and fsynced, to a
 * file outside the database (default {@code <data.dir>/audit-checkpoints.jsonl}, 0600), and, when
 * configured, sent to a syslog collector (RFC 5424 over UDP) — a copy on another machine is what
 * still stands when someone holds this machine's files too.
 *
 * <p>Syslog delivery is best effort (UDP): a lost datagram costs one copy of one checkpoint, never
 * the file's line.
 */
public final class AuditCheckpoints {
    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    /** authpriv (10) × 8 + notice (5): security records, kept from ordinary users by syslog daemons. */
    private static final int SYSLOG_PRIORITY = 85;

    private final Path file;
    private final Optional<InetSocketAddress> syslog;
    private final AuditKey key;
    private final Clock clock;
    private long lastSeq = -1;

    public AuditCheckpoints(Path file, Optional<InetSocketAddress> syslog, AuditKey key, Clock clock) {
        this.file = file;
        this.syslog = syslog;
        this.key = key;
        this.clock = clock;
        OwnerOnlyFiles.file(file);
    }

    /**
     * Appends the signed head unless it is the one written last (an idle log is not checkpointed
     * again and again).
     */
    public synchronized Optional<AuditCheckpoint> append(long seq, String mac) {
        if (seq == lastSeq || seq <= 0) {
            return Optional.empty();
        }
        AuditCheckpoint checkpoint = AuditCheckpoint.signed(key, seq, mac, clock.instant().toString());
        byte[] line = (checkpoint.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                StandardOpenOption.CREATE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit checkpoint file " + file, e);
        }
        lastSeq = seq;
        syslog.ifPresent(address -> send(address, checkpoint));
        return Optional.of(checkpoint);
    }

    private void send(InetSocketAddress address, AuditCheckpoint checkpoint) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "-";
        }
        String message = "<" + SYSLOG_PRIORITY + ">1 " + clock.instant() + " " + host
                + " reception-live - audit - " + checkpoint.toSyslogText();
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, address));
        } catch (IOException e) {
            log.warn("audit checkpoint {} not sent to syslog {}: {}", checkpoint.seq(), address, e.toString());
        }
    }

    public Path file() {
        return file;
    }

    /** Every checkpoint in the file, oldest first. */
    public List<AuditCheckpoint> readAll() {
        return read(file);
    }

    /**
     * Reads a checkpoint file (the server's own, or an auditor's copy).
     *
     * @throws IllegalArgumentException naming the first unreadable line
     */
    public static List<AuditCheckpoint> read(Path file) {
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit checkpoint file " + file, e);
        }
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                checkpoints.add(AuditCheckpoint.parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return checkpoints;
    }
}
