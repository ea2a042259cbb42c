package io.dvdrental.pipelines.producer.restore;

import io.dvdrental.pipelines.producer.source.SourceDatabase;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's own client programs ({@code psql}, {@code pg_restore}, {@code pg_dump}, Debian's
 * {@code postgresql-client}) pointed at one database: found on the PATH, connection settings from the JDBC URL, the
 * password in the environment, never on the command line.
 */
public final class PostgresClient {

    private final SourceDatabase database;
    private final URI uri;

    public PostgresClient(SourceDatabase database) {
        this.database = database;
        this.uri = URI.create(database.url().substring("jdbc:".length()));
    }

    /** The program's path, or a message that says how to install it. */
    public static Path program(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not installed: it comes with "
                + "Debian's postgresql-client (sudo apt-get install postgresql-client; ./dvd installs it when it runs "
                + "as root)"));
    }

    public static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code program} with the connection options first, then {@code arguments}. */
    public ProcessBuilder command(String program, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(program(program).toString(), "-h", uri.getHost(), "-p",
                String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()), "-U", database.username()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        if (database.password() != null && !database.password().isEmpty()) {
            env.put("PGPASSWORD", database.password());
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("sslmode=")) {
                env.put("PGSSLMODE", parameter.substring("sslmode=".length()));
            }
        }
        return builder;
    }

    /** The database name of the JDBC URL. */
    public String databaseName() {
        return uri.getPath().substring(1);
    }
}
