package org.citizenreception.control.room;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for rooms and their merger links. Every method runs on the caller's connection. */
final class RoomRepository {
    private RoomRepository() {
    }

    /** Every room, in code order, with its links. */
    static Map<String, Room> loadAll(Connection c) throws SQLException {
        Map<String, List<String>> predecessors = new HashMap<>();
        Map<String, List<String>> successors = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT predecessor_code, successor_code FROM room_successions ORDER BY predecessor_code, successor_code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                successors.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                predecessors.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
            }
        }
        Map<String, Room> rooms = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT code, name, level, parent_code, valid_from, valid_to FROM rooms ORDER BY code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String code = rs.getString("code");
                rooms.put(code, new Room(code, rs.getString("name"), RoomLevel.valueOf(rs.getString("level")),
                        rs.getString("parent_code"), date(rs.getString("valid_from")), date(rs.getString("valid_to")),
                        predecessors.getOrDefault(code, List.of()), successors.getOrDefault(code, List.of())));
            }
        }
        return rooms;
    }

    /** Inserts or updates by code; returns true when the room was new. */
    static boolean upsert(Connection c, Room room, Instant now) throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM rooms WHERE code = ?")) {
            ps.setString(1, room.code());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        String sql = exists
                ? "UPDATE rooms SET name = ?, level = ?, parent_code = ?, valid_from = ?, valid_to = ?, updated_at = ? WHERE code = ?"
                : "INSERT INTO rooms (name, level, parent_code, valid_from, valid_to, updated_at, code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, room.name());
            ps.setString(2, room.level().name());
            ps.setString(3, room.parentCode());
            ps.setString(4, text(room.validFrom()));
            ps.setString(5, text(room.validTo()));
            ps.setString(6, now.toString());
            ps.setString(7, room.code());
            if (!exists) {
                ps.setString(8, now.toString());
            }
            ps.executeUpdate();
        }
        return !exists;
    }

    static void link(Connection c, String predecessor, String successor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO room_successions (predecessor_code, successor_code) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, predecessor);
            ps.setString(2, successor);
            ps.executeUpdate();
        }
    }

    /** Sets valid_to on a room still open (or open later than {@code lastDay}); never earlier than its valid_from. */
    static boolean retire(Connection c, String code, LocalDate lastDay, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rooms SET"
                + " valid_to = CASE WHEN valid_from IS NOT NULL AND valid_from > ? THEN valid_from ELSE ? END, updated_at = ?"
                + " WHERE code = ? AND (valid_to IS NULL OR valid_to > ?)")) {
            ps.setString(1, lastDay.toString());
            ps.setString(2, lastDay.toString());
            ps.setString(3, now.toString());
            ps.setString(4, code);
            ps.setString(5, lastDay.toString());
            return ps.executeUpdate() > 0;
        }
    }

    private static String text(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static LocalDate date(String s) {
        return s == null ? null : LocalDate.parse(s);
    }
}
