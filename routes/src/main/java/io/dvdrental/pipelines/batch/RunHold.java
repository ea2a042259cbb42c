package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.config.ConnectionProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * A batch run's hold on the cluster's one-run-at-a-time lock: a PostgreSQL session-level advisory lock taken on a
 * connection of its own to the state database. No pool is involved, so readers that exhaust the state pool cannot make
 * a live run look dead, however long it runs; the lock lives exactly as long as the session, so a server that is
 * killed releases it with its connection. A run whose session ended (state database restarted, connection cut,
 * backend terminated) has lost its hold: another start may be running by now, so it stops and writes nothing more.
 * Everything the run reads and writes in the state database goes through this session, which cannot outlive the
 * lock: a run that lost its hold can record nothing more, and a busy state pool does not slow or fail it.
 */
final class RunHold implements AutoCloseable {

    /** The advisory lock's key: "dvdbatch" in ASCII. */
    static final long LOCK_KEY = 0x6476646261746368L;
    /** The session shows as {@code dvd-batch-run <run id>} in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "dvd-batch-run ";
    private static final int VALIDATION_SECONDS = 5;

    /** The run lost its hold: what it was about to do is not done. */
    static final class LostException extends IllegalStateException {
        LostException(String runId, String why) {
            super("Batch run " + runId + " lost its hold on the run lock (" + why + "); it stops and writes nothing "
                    + "more");
        }
    }

    private final String runId;
    private final Connection session;
    private final JdbcTemplate jdbc;
    private volatile String lostBecause;

    private RunHold(String runId, Connection session) {
        this.runId = runId;
        this.session = session;
        this.jdbc = new JdbcTemplate(new SingleConnectionDataSource(session, true));
    }

    /** The hold for {@code runId}, or empty when another run holds the lock. */
    static Optional<RunHold> tryAcquire(ConnectionProperties.Jdbc state, String runId) throws SQLException {
        Properties settings = new Properties();
        if (state.username() != null) {
            settings.setProperty("user", state.username());
        }
        settings.setProperty("password", state.password() == null ? "" : state.password());
        settings.setProperty("ApplicationName", APPLICATION_NAME + runId);
        // A peer that vanished without closing the connection is noticed by the server, which then frees the lock.
        settings.setProperty("tcpKeepAlive", "true");
        Connection session = DriverManager.getConnection(state.url(), settings);
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(new RunHold(runId, session));
                }
            }
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
        session.close();
        return Optional.empty();
    }

    /** Known to be lost (a check failed earlier); answers without a round trip. */
    boolean lost() {
        return lostBecause != null;
    }

    /** Throws {@link LostException} when the hold is known to be lost, without a round trip. */
    void checkNotLost() {
        String why = lostBecause;
        if (why != null) {
            throw new LostException(runId, why);
        }
    }

    /** One round trip on the session; throws {@link LostException} when it no longer answers. */
    synchronized void verify() {
        if (lostBecause == null) {
            try {
                if (!session.isValid(VALIDATION_SECONDS)) {
                    lostBecause = "its state-database session no longer answers";
                }
            } catch (SQLException e) {
                lostBecause = "its state-database session failed: " + e.getMessage();
            }
        }
        if (lostBecause != null) {
            throw new LostException(runId, lostBecause);
        }
    }

    /**
     * Reads and writes of the run on the hold's own session: they happen only while the run holds the lock (a
     * session that ended takes the lock with it), and no pool is needed for them.
     */
    synchronized <T> T onSession(Function<JdbcTemplate, T> work) {
        checkNotLost();
        try {
            return work.apply(jdbc);
        } catch (RuntimeException e) {
            if (!isOpen()) {
                lostBecause = "its state-database session ended: " + e.getMessage();
                throw new LostException(runId, lostBecause);
            }
            throw e;
        }
    }

    private boolean isOpen() {
        try {
            return session.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Releases the lock (closing the session would too). */
    @Override
    public synchronized void close() {
        if (lostBecause == null) {
            lostBecause = "the run ended";
        }
        try (session) {
            if (!session.isClosed()) {
                jdbc.queryForObject("SELECT pg_advisory_unlock(?)", Boolean.class, LOCK_KEY);
            }
        } catch (SQLException | RuntimeException e) {
            // The session is gone, and the lock with it.
        }
    }
}
