package io.dvdrental.pipelines.producer;

import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.producer.clicks.ClickPublisher;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.producer.clicks.PublishSummary;
import io.dvdrental.pipelines.producer.live.LiveActivity;
import io.dvdrental.pipelines.producer.live.LiveStats;
import io.dvdrental.pipelines.producer.restore.RestoreReport;
import io.dvdrental.pipelines.producer.restore.SourceRestore;
import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SeedReport;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceDatabase;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code producer <command>}: synthetic DVD-rental activity for the source database and click events for Kafka. */
@Command(name = "producer", mixinStandardHelpOptions = true, subcommands = {CommandLine.HelpCommand.class,
        ProducerCli.Migrate.class, ProducerCli.Seed.class, ProducerCli.Restore.class, ProducerCli.Live.class,
        ProducerCli.Clicks.class},
        description = "Synthetic DVD-rental data: the source database (PostgreSQL) and website clicks (Kafka).")
public final class ProducerCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProducerCli())
                // A refused input or state is a message for the user, not a stack trace.
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                        cli.getErr().println("error: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                .execute(args));
    }

    /** Either a number of operations/events or a duration; neither means until Ctrl-C. */
    static final class Limit {
        @Option(names = "--count", description = "Stop after this many") long count;
        @Option(names = "--duration", description = "Stop after this long, e.g. PT30S, 30s, 5m") String duration;

        Duration parsedDuration() {
            if (duration == null) {
                return null;
            }
            String d = duration.trim().toUpperCase();
            return Duration.parse(d.startsWith("P") ? d : "PT" + d);
        }
    }

    @Command(name = "migrate", description = "Create or upgrade the dvdrental source schema (Flyway).")
    static final class Migrate implements Callable<Integer> {
        @Mixin SourceOptions source;

        @Override
        public Integer call() {
            int applied = SourceSchema.migrate(source.database().dataSource());
            System.out.println("Source schema up to date (" + applied + " migration(s) applied).");
            return 0;
        }
    }

    @Command(name = "seed", description = "Migrate the source schema, then fill it with a generated data set.")
    static final class Seed implements Callable<Integer> {
        @Mixin SourceOptions source;
        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--scale", defaultValue = "1", description = "Scale factor; 1 = the real sample's size, "
                + "rentals, payments, customers and inventory grow linearly (default: ${DEFAULT-VALUE})")
        double scale;
        @Option(names = "--if-empty", description = "Do nothing when the rental table already has rows")
        boolean ifEmpty;
        @Option(names = "--replace", description = "Empty the source tables first")
        boolean replace;

        @Override
        public Integer call() throws SQLException {
            if (ifEmpty && replace) {
                throw new IllegalArgumentException("--if-empty and --replace exclude each other");
            }
            DataSource dataSource = source.database().dataSource();
            SourceSchema.migrate(dataSource);
            SeedPlan plan = new SeedPlan(seed, scale);
            if (plan.customers() == SeedPlan.MAX_CUSTOMERS) {
                System.out.println("Customers capped at " + SeedPlan.MAX_CUSTOMERS + " (smallint ids in the schema).");
            }
            SeedReport report = SourceSeeder.seed(dataSource, plan, ifEmpty ? SourceSeeder.WhenNotEmpty.SKIP
                    : replace ? SourceSeeder.WhenNotEmpty.REPLACE : SourceSeeder.WhenNotEmpty.FAIL,
                    (table, rows, elapsed, stage) -> System.out.println(LoadLines.progress(table, rows, elapsed, stage)));
            if (report.skipped()) {
                System.out.println("Skipped seeding: the rental table already has rows (--if-empty).");
                return 0;
            }
            System.out.printf("Seeded %,d rows (seed %d, scale %s) in %.1f s.%n", report.totalRows(), seed,
                    scale, report.elapsed().toMillis() / 1000.0);
            return 0;
        }
    }

    @Command(name = "restore", description = "Load a real dvdrental dump instead of generated data: plain SQL "
            + "(.sql, .sql.gz) or a pg_dump archive (the published dvdrental.tar); needs psql and pg_restore.")
    static final class Restore implements Callable<Integer> {
        @Mixin SourceOptions source;
        @Parameters(paramLabel = "FILE", description = "The dump")
        Path dump;
        @Option(names = "--replace", description = "Empty the source database first (refused otherwise when it "
                + "has data)")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            SourceDatabase database = source.database();
            System.out.println("Restoring " + dump + " into " + database.url() + " ...");
            RestoreReport report = SourceRestore.restore(database, dump, replace);
            report.rowsByTable().forEach((table, rows) -> System.out.printf("  %-14s %,12d rows%n", table, rows));
            System.out.printf("Restored %,d rows of %d tables (%s) in %.1f s%s.%n", report.totalRows(),
                    report.rowsByTable().size(), report.format(), report.elapsed().toMillis() / 1000.0,
                    report.replacedRentals() > 0 ? String.format(", replacing a source of %,d rentals",
                            report.replacedRentals()) : "");
            return 0;
        }
    }

    @Command(name = "live", description = "Keep adding rentals, returns, payments and address changes.")
    static final class Live implements Callable<Integer> {
        @Mixin SourceOptions source;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--rate", defaultValue = "5", description = "Operations per second (default: ${DEFAULT-VALUE})")
        double rate;
        @ArgGroup(exclusive = true) Limit limit = new Limit();

        @Override
        public Integer call() throws SQLException, InterruptedException {
            if (rate <= 0) {
                throw new IllegalArgumentException("--rate must be positive");
            }
            LiveActivity activity = new LiveActivity(source.database().dataSource(), seed);
            Duration duration = limit.parsedDuration();
            long started = System.nanoTime();
            long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
            LiveStats total = new LiveStats();
            try (Interruption interruption = new Interruption()) {
                long performed = 0;
                while ((limit.count <= 0 || performed < limit.count) && System.nanoTime() < deadline
                        && !interruption.requested()) {
                    long wait = started + (long) (performed * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    total.add(activity.perform(1));
                    performed++;
                }
                System.out.printf("Live activity: %s in %.1f s.%n", total, (System.nanoTime() - started) / 1e9);
            }
            return 0;
        }
    }

    @Command(name = "clicks", description = "Send website click events (JSON) to Kafka.")
    static final class Clicks implements Callable<Integer> {
        @Option(names = "--brokers", defaultValue = "${env:DVD_KAFKA_BROKERS}",
                description = "Kafka bootstrap servers (default: $DVD_KAFKA_BROKERS)")
        String brokers;
        @Option(names = "--topic", defaultValue = "dvd_clicks") String topic;
        @Option(names = "--rate", defaultValue = "100", description = "Events per second, 0 = as fast as possible")
        double rate;
        @Option(names = "--users", defaultValue = "1000") int users;
        @Option(names = "--seed", defaultValue = "42") long seed;
        @Option(names = "--malformed-ratio", defaultValue = "0",
                description = "Fraction of events replaced with malformed ones (0..1)")
        double malformedRatio;
        @Option(names = "--films-from-source", description = "Use the film ids of the source database")
        boolean filmsFromSource;
        @Mixin SourceOptions source;
        @ArgGroup(exclusive = true) Limit limit = new Limit();

        @Override
        public Integer call() throws Exception {
            if (brokers == null || brokers.isBlank()) {
                throw new IllegalArgumentException("No Kafka: pass --brokers or set DVD_KAFKA_BROKERS");
            }
            List<Integer> films = filmsFromSource ? sourceFilmIds(source.database().dataSource())
                    : ClickSettings.defaultFilmIds();
            ClickGenerator generator = new ClickGenerator(new ClickSettings(seed, users, films, malformedRatio),
                    InstantSource.system());
            try (Interruption interruption = new Interruption();
                 ClickPublisher publisher = new ClickPublisher(brokers, topic)) {
                PublishSummary summary = publisher.publish(generator, limit.count, limit.parsedDuration(), rate,
                        interruption::requested);
                System.out.println("Clicks to " + topic + ": " + summary);
            }
            return 0;
        }

        private static List<Integer> sourceFilmIds(DataSource dataSource) throws SQLException {
            List<Integer> ids = new ArrayList<>();
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT film_id FROM film ORDER BY film_id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalStateException("The source has no films; seed it first");
            }
            return ids;
        }
    }
}
