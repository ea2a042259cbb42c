package io.dvdrental.pipelines.producer.restore;

import io.dvdrental.pipelines.producer.source.SourceDatabase;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.transforms.batch.SourceTables;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a real dvdrental dump into the source database instead of generated data. The dump is checked first (the 15
 * tables the batch reads, each with rows; nothing is touched otherwise), then restored by {@code psql} in one
 * transaction that also empties the public schema: a dump that fails half-way leaves the database as it was. An
 * archive goes through {@code pg_restore} (without owners and grants) into the same {@code psql}.
 */
public final class SourceRestore {

    private SourceRestore() {
    }

    public static RestoreReport restore(SourceDatabase target, Path dumpPath, boolean replace)
            throws IOException, InterruptedException, SQLException {
        long started = System.nanoTime();
        List<String> required = SourceTables.load().names();
        DumpFile dump = DumpFile.inspect(dumpPath);
        List<String> missing = dump.missing(required);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The dump " + dumpPath + " lacks " + missing.size() + " of the "
                    + required.size() + " dvdrental tables: " + String.join(", ", missing)
                    + " (a dvdrental dump has " + String.join(", ", required) + "); nothing was restored");
        }
        List<String> empty = dump.empty(required);
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("The dump " + dumpPath + " holds no rows for " + String.join(", ", empty)
                    + " (a schema-only dump?); nothing was restored");
        }
        DataSource dataSource = target.dataSource();
        List<String> withRows = tablesWithRows(dataSource);
        if (!withRows.isEmpty() && !replace) {
            throw new IllegalStateException("The source database already has data (rows in " + withRows.size()
                    + " tables: " + String.join(", ", withRows.subList(0, Math.min(5, withRows.size())))
                    + (withRows.size() > 5 ? ", ..." : "") + "): restore with --replace to empty it first");
        }
        long replacedRentals = withRows.contains("rental") ? count(dataSource, "rental") : 0;

        PostgresClient client = new PostgresClient(target);
        Path errors = Files.createTempFile("dvd-restore-", ".log");
        try {
            ProcessBuilder psql = client.command("psql", List.of("-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "--single-transaction", "-d", client.databaseName(),
                    "-c", "DROP SCHEMA IF EXISTS public CASCADE", "-c", "CREATE SCHEMA public", "-f", "-"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
            List<Process> processes;
            if (dump.format() == DumpFile.Format.ARCHIVE) {
                ProcessBuilder pgRestore = new ProcessBuilder(PostgresClient.program("pg_restore").toString(),
                        "--no-owner", "--no-privileges", "--file", "-", dumpPath.toString())
                        .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
                processes = ProcessBuilder.startPipeline(List.of(pgRestore, psql));
            } else {
                Process process = psql.start();
                processes = List.of(process);
                try (InputStream in = dump.openSql(); OutputStream out = process.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // psql stopped reading: it exited on the first error, which its log names
                }
            }
            for (Process process : processes) {
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("The restore of " + dumpPath + " failed; the source database is "
                            + "unchanged (one transaction). " + lastLines(errors, 10));
                }
            }
        } finally {
            Files.deleteIfExists(errors);
        }
        // The source schema's history, as a seeded database has it (a restored dump is taken as version 1).
        SourceSchema.migrate(dataSource);
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : required) {
            rows.put(table, count(dataSource, table));
        }
        return new RestoreReport(dump.format(), rows, Duration.ofNanos(System.nanoTime() - started), replacedRentals);
    }

    /** Tables of the public schema that hold at least one row. */
    private static List<String> tablesWithRows(DataSource dataSource) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> all = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    + "AND tablename <> 'flyway_schema_history' ORDER BY tablename")) {
                while (rs.next()) {
                    all.add(rs.getString(1));
                }
            }
            for (String table : all) {
                try (ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM public.\"" + table + "\")")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        tables.add(table);
                    }
                }
            }
        }
        return tables;
    }

    private static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM public." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String lastLines(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())).strip();
    }
}
