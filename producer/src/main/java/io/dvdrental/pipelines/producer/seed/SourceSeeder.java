package io.dvdrental.pipelines.producer.seed;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Loads a generated dvdrental data set into a migrated source database with COPY, in one transaction, and moves
 * the id sequences past the loaded rows so that the application's own inserts keep working.
 */
public final class SourceSeeder {

    /** What to do when the database already has data. */
    public enum WhenNotEmpty {
        /** Leave it as it is (when {@code rental} has rows). */
        SKIP,
        /** Empty all source tables first. */
        REPLACE,
        /** Refuse, so that nothing is loaded twice by mistake. */
        FAIL
    }

    /** Tables with an integer id filled from a {@code <table>_<id>_seq} sequence. */
    private static final List<String> TABLES_WITH_SEQUENCES = List.of("actor", "address", "category", "city",
            "country", "customer", "film", "inventory", "language", "payment", "rental", "staff", "store");
    private static final List<String> ALL_TABLES = List.of("payment", "rental", "inventory", "customer", "store",
            "staff", "film_category", "film_actor", "film", "actor", "category", "language", "address", "city",
            "country");

    private SourceSeeder() {
    }

    /** How often a large table's load is reported while it goes. */
    static final long REPORT_EVERY = 250_000;
    /** How often the checks PostgreSQL runs at the end of a large table's COPY are reported. */
    static final Duration CHECKING_EVERY = Duration.ofSeconds(15);

    public static SeedReport seed(DataSource dataSource, SeedPlan plan, WhenNotEmpty whenNotEmpty) throws SQLException {
        return seed(dataSource, plan, whenNotEmpty, LoadProgress.SILENT);
    }

    public static SeedReport seed(DataSource dataSource, SeedPlan plan, WhenNotEmpty whenNotEmpty,
                                  LoadProgress progress) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            if (hasRows(connection, "rental") || hasRows(connection, "film")) {
                switch (whenNotEmpty) {
                    case SKIP -> {
                        if (hasRows(connection, "rental")) {
                            return new SeedReport(true, Map.of(), Duration.ofNanos(System.nanoTime() - started));
                        }
                        throw new IllegalStateException("The source has films but no rentals (a partial load?); "
                                + "seed with replace instead");
                    }
                    case FAIL -> throw new IllegalStateException("The source database already has data; "
                            + "seed with if-empty or replace");
                    case REPLACE -> {
                        // Truncated below, inside the load's transaction.
                    }
                }
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // The load is all or nothing anyway: no need to wait for each WAL flush.
                statement.execute("SET LOCAL synchronous_commit = off");
                statement.execute("TRUNCATE " + String.join(", ", ALL_TABLES.stream().map(t -> "public." + t).toList())
                        + " RESTART IDENTITY");
            }
            CopyTableSink sink = new CopyTableSink(connection, progress, REPORT_EVERY, CHECKING_EVERY);
            new RentalDataGenerator(plan).generate(sink);
            advanceSequences(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
            connection.commit();
            return new SeedReport(false, java.util.Collections.unmodifiableMap(sink.rowsByTable()), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM public." + table + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void advanceSequences(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES_WITH_SEQUENCES) {
                String id = table + "_id";
                statement.execute("SELECT setval('public." + table + "_" + id + "_seq', "
                        + "COALESCE((SELECT max(" + id + ") FROM public." + table + "), 0) + 1, false)");
            }
        }
    }
}
