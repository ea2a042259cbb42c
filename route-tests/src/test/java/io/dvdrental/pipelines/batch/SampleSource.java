package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.services.StackConfig;
import io.dvdrental.pipelines.support.TestServices;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The real dvdrental sample ({@code ../shared/dvdrental} beside the project) restored into its own database
 * {@value #DATABASE} on the test PostgreSQL, and the server's source pointed at it (an initializer after
 * {@code TestServicesInitializer}). Restored afresh by each test class that changes it.
 */
public final class SampleSource implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String DATABASE = "batch_sample";

    /** {@code ../shared/dvdrental} beside the project (or beside any folder above it, for git worktrees). */
    public static Path dump() {
        Path root = StackConfig.fromSettings("test").root();
        for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
            Path dump = dir.resolve("shared/dvdrental/dvdrental.sql.gz");
            if (Files.isReadable(dump)) {
                return dump;
            }
        }
        return root.getParent().resolve("shared/dvdrental/dvdrental.sql.gz");
    }

    public static boolean available() {
        return Files.isReadable(dump()) && Files.isExecutable(Path.of("/usr/bin/psql"));
    }

    public static String url() {
        return TestServices.properties().get("dvd.source.url").replaceFirst("/[^/?]+(\\?.*)?$", "/" + DATABASE);
    }

    private static String user() {
        return TestServices.properties().getOrDefault("dvd.source.username", "postgres");
    }

    private static String password() {
        return TestServices.properties().getOrDefault("dvd.source.password", "");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (available()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("batchSample",
                    Map.of("dvd.source.url", url())));
        }
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Drops and restores the sample database (connections to it are closed by force). */
    public static synchronized void restore() throws Exception {
        String admin = url().replaceFirst("/" + DATABASE + "$", "/postgres");
        try (Connection c = DriverManager.getConnection(admin, user(), password()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        URI uri = URI.create(url().substring("jdbc:".length()));
        ProcessBuilder psql = new ProcessBuilder("/usr/bin/psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", uri.getHost(),
                "-p", String.valueOf(uri.getPort()), "-U", user(), "-d", DATABASE)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        psql.environment().put("PGPASSWORD", password());
        Process process = psql.start();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dump())); OutputStream out = process.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("psql could not restore " + dump());
        }
    }
}
