package io.dvdrental.pipelines.producer.restore;

import io.dvdrental.pipelines.producer.TestDatabase;
import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceDatabase;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.junit.RealServices;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./dvd producer restore} on the real local PostgreSQL with Debian's psql, pg_restore and pg_dump: the real
 * sample (when it is beside the project) and tar archives made from it, generated sources in every dump format, and
 * what is refused (missing tables, a source with data, a broken dump, files that are no dump) with nothing touched.
 */
@ExtendWith(RealServices.class)
class SourceRestoreTest {

    /** The sample's README: rows per table. */
    private static final Map<String, Long> SAMPLE_ROWS = Map.ofEntries(Map.entry("actor", 200L),
            Map.entry("address", 603L), Map.entry("category", 16L), Map.entry("city", 600L), Map.entry("country", 109L),
            Map.entry("customer", 599L), Map.entry("film", 1000L), Map.entry("film_actor", 5462L),
            Map.entry("film_category", 1000L), Map.entry("inventory", 4581L), Map.entry("language", 6L),
            Map.entry("payment", 14596L), Map.entry("rental", 16044L), Map.entry("staff", 2L), Map.entry("store", 2L));

    @TempDir
    Path dir;

    private LocalStack stack;
    private final List<TestDatabase> databases = new ArrayList<>();

    @BeforeEach
    void stack(LocalStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (TestDatabase db : databases) {
            db.close();
        }
    }

    private TestDatabase database() throws SQLException {
        TestDatabase db = TestDatabase.create(stack);
        databases.add(db);
        return db;
    }

    private static SourceDatabase source(TestDatabase db) {
        return new SourceDatabase(db.url(), db.username(), null);
    }

    private TestDatabase seeded(long seed) throws SQLException {
        TestDatabase db = database();
        SourceSchema.migrate(db.dataSource());
        SourceSeeder.seed(db.dataSource(), new SeedPlan(seed, 0.02), SourceSeeder.WhenNotEmpty.FAIL);
        return db;
    }

    private static Map<String, Long> rows(TestDatabase db) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : SourceTables.load().names()) {
            rows.put(table, db.queryLong("SELECT count(*) FROM public." + table));
        }
        return rows;
    }

    /** psql, pg_restore and pg_dump: ./dvd test installs Debian's postgresql-client where it can. */
    private static void assumeClientPrograms() {
        for (String program : List.of("psql", "pg_restore", "pg_dump")) {
            assumeTrue(PostgresClient.find(program).isPresent(), "skipped: " + program + " is not installed "
                    + "(sudo apt-get install postgresql-client)");
        }
    }

    private Path pgDump(TestDatabase db, String file, String... options) throws Exception {
        assumeClientPrograms();
        Path out = dir.resolve(file);
        PostgresClient client = new PostgresClient(source(db));
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--file", out.toString(), "--dbname", client.databaseName()));
        Process dump = client.command("pg_dump", args).redirectErrorStream(true).start();
        String log = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor()).as("pg_dump: %s", log).isZero();
        return out;
    }

    @Test
    void theSampleRestoresWithItsRowsAndSoDoesATarArchiveMadeFromIt() throws Exception {
        Path sample = SampleDump.beside(stack.config().root());
        assumeTrue(SampleDump.restorable(stack.config().root()), "skipped: the dvdrental sample " + sample
                + " (or psql) is not on this machine");
        assumeClientPrograms();
        TestDatabase restored = database();

        RestoreReport fromSql = SourceRestore.restore(source(restored), sample, false);

        assertThat(fromSql.format()).isEqualTo(DumpFile.Format.GZIPPED_SQL);
        assertThat(fromSql.rowsByTable()).isEqualTo(SAMPLE_ROWS).isEqualTo(rows(restored));

        Path tar = pgDump(restored, "dvdrental.tar", "--format=tar");
        TestDatabase again = database();
        RestoreReport fromTar = SourceRestore.restore(source(again), tar, false);

        assertThat(fromTar.format()).isEqualTo(DumpFile.Format.ARCHIVE);
        assertThat(fromTar.rowsByTable()).isEqualTo(SAMPLE_ROWS).isEqualTo(rows(again));
        assertThat(again.queryLong("SELECT count(*) FROM rental WHERE return_date IS NULL")).isEqualTo(183);
    }

    @Test
    void aGeneratedSourceRoundTripsThroughPlainSqlAndACustomArchive() throws Exception {
        TestDatabase original = seeded(5);
        Map<String, Long> expected = rows(original);
        for (Path dump : List.of(pgDump(original, "source.sql"), pgDump(original, "source.dump", "--format=custom"))) {
            TestDatabase target = database();
            RestoreReport report = SourceRestore.restore(source(target), dump, false);
            assertThat(report.rowsByTable()).as(dump.toString()).isEqualTo(expected).isEqualTo(rows(target));
        }
    }

    @Test
    void aDumpLackingTablesIsRefusedNamingThemAndNothingIsTouched() throws Exception {
        Path partial = pgDump(seeded(6), "partial.tar", "--format=tar", "--table=actor", "--table=film",
                "--table=language");
        TestDatabase target = seeded(7);
        Map<String, Long> before = rows(target);

        assertThatThrownBy(() -> SourceRestore.restore(source(target), partial, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks 12 of the 15 dvdrental tables: rental, payment, inventory, film_actor, "
                        + "customer, address, film_category, city, country, category, staff, store")
                .hasMessageEndingWith("nothing was restored");
        assertThat(rows(target)).isEqualTo(before);
    }

    @Test
    void aSchemaOnlyDumpIsRefused() throws Exception {
        Path schemaOnly = pgDump(seeded(8), "schema.sql", "--schema-only");
        assertThatThrownBy(() -> SourceRestore.restore(source(database()), schemaOnly, false))
                .hasMessageContaining("holds no rows for rental, payment,").hasMessageContaining("schema-only");
    }

    @Test
    void aSourceWithDataIsReplacedOnlyWhenAsked() throws Exception {
        TestDatabase original = seeded(9);
        Path dump = pgDump(original, "source.tar", "--format=tar");
        TestDatabase target = seeded(10);
        long targetRentals = target.queryLong("SELECT count(*) FROM rental");

        assertThatThrownBy(() -> SourceRestore.restore(source(target), dump, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The source database already has data (rows in 15 tables: ")
                .hasMessageEndingWith("restore with --replace to empty it first");

        RestoreReport replaced = SourceRestore.restore(source(target), dump, true);
        assertThat(replaced.replacedRentals()).isEqualTo(targetRentals);
        assertThat(rows(target)).isEqualTo(rows(original));
        // The restored source takes live activity like a seeded one: its sequences continue after its rows.
        target.execute("INSERT INTO actor (first_name, last_name) VALUES ('NEW', 'ACTOR')");
        assertThat(target.queryLong("SELECT max(actor_id) FROM actor")).isEqualTo(rows(original).get("actor") + 1);
    }

    @Test
    void aDumpThatFailsHalfWayLeavesTheSourceAsItWas() throws Exception {
        Path good = pgDump(seeded(11), "source.sql");
        Path broken = dir.resolve("broken.sql.gz");
        try (InputStream in = Files.newInputStream(good); OutputStream out = new GZIPOutputStream(Files.newOutputStream(broken))) {
            in.transferTo(out);
            out.write("\nINSERT INTO public.rental (rental_id) VALUES ('not a number');\n".getBytes(StandardCharsets.UTF_8));
        }
        TestDatabase target = seeded(12);
        Map<String, Long> before = rows(target);

        assertThatThrownBy(() -> SourceRestore.restore(source(target), broken, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the source database is unchanged")
                .hasMessageContaining("invalid input syntax for type integer: \"not a number\"");
        assertThat(rows(target)).isEqualTo(before);
    }

    @Test
    void filesThatAreNoDumpAreRefusedWithWhatToDo() throws IOException {
        Path zip = dir.resolve("dvdrental.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("dvdrental.tar"));
            out.write(new byte[1024]);
        }
        assertThatThrownBy(() -> DumpFile.inspect(zip)).hasMessageContaining("is a ZIP file: unzip it first");

        Path image = Files.write(dir.resolve("picture.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        assertThatThrownBy(() -> DumpFile.inspect(image)).hasMessageContaining("is neither plain SQL");

        assertThatThrownBy(() -> DumpFile.inspect(dir.resolve("nowhere.sql"))).hasMessageStartingWith("No dump at ");
    }
}
