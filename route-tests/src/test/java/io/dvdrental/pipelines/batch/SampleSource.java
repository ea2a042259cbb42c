package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.producer.restore.SampleDump;
import io.dvdrental.pipelines.producer.restore.SourceRestore;
import io.dvdrental.pipelines.producer.source.SourceDatabase;
import io.dvdrental.pipelines.services.StackConfig;
import io.dvdrental.pipelines.support.TestServices;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The real dvdrental sample ({@code ../shared/dvdrental} beside the project) restored into its own database
 * {@value #DATABASE} on the test PostgreSQL, and the server's source pointed at it (an initializer after
 * {@code TestServicesInitializer}). Restored afresh by each test class that changes it.
 */
public final class SampleSource implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String DATABASE = "batch_sample";

    /** {@code ../shared/dvdrental} beside the project (or beside any folder above it, for git worktrees). */
    public static Path dump() {
        return SampleDump.beside(StackConfig.fromSettings("test").root());
    }

    public static boolean available() {
        return SampleDump.restorable(StackConfig.fromSettings("test").root());
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

    /**
     * Drops and restores the sample database (connections to it are closed by force), with the code that
     * {@code ./dvd producer restore} runs.
     */
    public static synchronized void restore() throws Exception {
        String admin = url().replaceFirst("/" + DATABASE + "$", "/postgres");
        try (Connection c = DriverManager.getConnection(admin, user(), password()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        SourceRestore.restore(new SourceDatabase(url(), user(), password()), dump(), false);
    }
}
