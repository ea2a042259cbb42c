package io.dvdrental.pipelines.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A logical replication slot of the source as PostgreSQL reports it ({@code pg_replication_slots}), and the two
 * things an operator does with one: read how far behind it is, drop it.
 *
 * @param active       a walsender (the engine) reads from it now
 * @param walStatus    {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}: lost means PostgreSQL
 *                     removed WAL the slot still needed; the slot can never be read again
 * @param confirmedLsn what the engine confirmed as stored (the capture's offsets are written first)
 * @param currentLsn   the source's current WAL position ({@code pg_current_wal_lsn()}) when this was read
 */
public record ReplicationSlot(String name, boolean active, String walStatus, long confirmedLsn, long currentLsn) {

    /** WAL the source keeps for this slot that bronze does not hold yet. */
    public long lagBytes() {
        return Math.max(0, currentLsn - confirmedLsn);
    }

    public boolean lost() {
        return "lost".equals(walStatus);
    }

    public static Optional<ReplicationSlot> read(Connection source, String name) throws SQLException {
        try (PreparedStatement s = source.prepareStatement("SELECT slot_name, active, wal_status, "
                + "coalesce(confirmed_flush_lsn - '0/0', 0)::bigint, (pg_current_wal_lsn() - '0/0')::bigint "
                + "FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new ReplicationSlot(rs.getString(1), rs.getBoolean(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5))) : Optional.empty();
            }
        }
    }

    /** The source's current WAL position. */
    public static long currentLsn(Connection source) throws SQLException {
        try (PreparedStatement s = source.prepareStatement("SELECT (pg_current_wal_lsn() - '0/0')::bigint");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Drops the slot if it exists and no engine reads it; true when it was dropped. */
    public static boolean drop(Connection source, String name) throws SQLException {
        try (PreparedStatement s = source.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** LSN as PostgreSQL writes it ({@code 16/B374D848}). */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
