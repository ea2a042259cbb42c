package io.dvdrental.pipelines.capture;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link CaptureStore} in the server's PostgreSQL state database (tables {@code cdc_capture} and {@code cdc_offset},
 * created by the state migrations). Offsets are replaced in one transaction, so a crash never leaves half of them.
 */
public final class JdbcCaptureStore implements CaptureStore {

    /** A name no generation had before: when it began, and a random part. */
    private static final String NEW_GENERATION = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS') "
            + "|| substr(md5(random()::text), 1, 6)";

    private final DataSource state;
    private final String capture;

    public JdbcCaptureStore(DataSource state, String capture) {
        this.state = state;
        this.capture = capture;
    }

    @Override
    public State state() {
        try (Connection c = state.getConnection()) {
            ensureRow(c);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT generation, coalesce(snapshot_lsn, 0) FROM cdc_capture WHERE capture_name = ?")) {
                s.setString(1, capture);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new State(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the state of capture " + capture + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void snapshotTaken(long snapshotLsn) {
        update("UPDATE cdc_capture SET snapshot_lsn = ? WHERE capture_name = ?", snapshotLsn);
    }

    @Override
    public Map<String, String> loadOffsets() {
        Map<String, String> offsets = new LinkedHashMap<>();
        try (Connection c = state.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT offset_key, offset_value FROM cdc_offset WHERE capture_name = ? ORDER BY offset_key")) {
            s.setString(1, capture);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getString(1), rs.getString(2));
                }
            }
            return offsets;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the offsets of capture " + capture + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveOffsets(Map<String, String> offsets) {
        inTransaction("store the offsets", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO cdc_offset (capture_name, offset_key, "
                    + "offset_value) VALUES (?, ?, ?) ON CONFLICT (capture_name, offset_key) DO UPDATE SET "
                    + "offset_value = EXCLUDED.offset_value, updated_at = clock_timestamp()")) {
                for (Map.Entry<String, String> offset : offsets.entrySet()) {
                    upsert.setString(1, capture);
                    upsert.setString(2, offset.getKey());
                    upsert.setString(3, offset.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    @Override
    public void reset(String reason) {
        inTransaction("reset", c -> {
            ensureRow(c);
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM cdc_offset WHERE capture_name = ?");
                 PreparedStatement next = c.prepareStatement("UPDATE cdc_capture SET "
                         + "generation = " + NEW_GENERATION + ", snapshot_lsn = NULL, reset_at = clock_timestamp(), "
                         + "reset_reason = ? WHERE capture_name = ?")) {
                forget.setString(1, capture);
                forget.executeUpdate();
                next.setString(1, reason);
                next.setString(2, capture);
                next.executeUpdate();
            }
        });
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    /** All of {@code work} or nothing. */
    private void inTransaction(String what, Work work) {
        try (Connection c = state.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Capture " + capture + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private void ensureRow(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO cdc_capture (capture_name, generation) VALUES (?, " + NEW_GENERATION
                + ") ON CONFLICT (capture_name) DO NOTHING")) {
            s.setString(1, capture);
            s.executeUpdate();
        }
    }

    private void update(String sql, long value) {
        try (Connection c = state.getConnection()) {
            ensureRow(c);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, value);
                s.setString(2, capture);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update capture " + capture + ": " + e.getMessage(), e);
        }
    }
}
