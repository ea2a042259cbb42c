package io.dvdrental.pipelines.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one local stack lives and which loopback ports it uses.
 *
 * <p>A stack is named ("demo" for the README's first command, "test" for the test suite) so that both can run
 * side by side. Every setting is read from a system property {@code dvd.<key>} or, failing that, the environment
 * variable {@code DVD_<KEY>}: {@code DVD_PORT_BASE} moves all ports at once, {@code DVD_POSTGRES_PORT} one of them.
 */
public record StackConfig(String name, Path root, Path home, Path cache, int postgresPort, int kafkaPort,
                          int kafkaControllerPort, int clickhouseHttpPort, int clickhouseTcpPort, int s3Port) {

    public static final String HOST = "127.0.0.1";
    public static final String SOURCE_DATABASE = "dvdrental";
    public static final String STATE_DATABASE = "pipeline";
    public static final String POSTGRES_USER = "postgres";

    private static final Map<String, Integer> DEFAULT_PORT_BASES = Map.of("demo", 15400, "test", 16400);
    /** A stack uses six ports from its base; the stacks of test forks sit this far apart. */
    static final int FORK_PORT_STEP = 10;

    public static StackConfig named(String name) {
        Path root = projectRoot();
        int base = intSetting("port.base", DEFAULT_PORT_BASES.getOrDefault(name, 17400));
        // Downloads (the ClickHouse engine) are per machine, not per stack: DVD_CACHE can share them across checkouts.
        Path cache = Path.of(setting("cache", root.resolve(".local").resolve("cache").toString()));
        return new StackConfig(name, root, root.resolve(".local").resolve(name), cache,
                intSetting("postgres.port", base),
                intSetting("kafka.port", base + 1),
                intSetting("kafka.controller.port", base + 2),
                intSetting("clickhouse.http.port", base + 3),
                intSetting("clickhouse.tcp.port", base + 4),
                intSetting("s3.port", base + 5));
    }

    /** The stack named by {@code dvd.stack} / {@code DVD_STACK}, else {@code fallback}. */
    public static StackConfig fromSettings(String fallback) {
        return named(setting("stack", fallback));
    }

    /**
     * The stack of test JVM number {@code fork} (1, 2, ...) when the suite runs in several at once: the first is this
     * stack, each further one a stack of its own beside it ({@code <name>-fork<N>}, every port {@value #FORK_PORT_STEP}
     * higher per fork), so that tests in different JVMs never share a database, topic or bucket.
     */
    public StackConfig forFork(int fork) {
        if (fork <= 1) {
            return this;
        }
        String forkName = name + "-fork" + fork;
        int step = FORK_PORT_STEP * (fork - 1);
        return new StackConfig(forkName, root, home.resolveSibling(forkName), cache, postgresPort + step,
                kafkaPort + step, kafkaControllerPort + step, clickhouseHttpPort + step, clickhouseTcpPort + step,
                s3Port + step);
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path run() {
        return home.resolve("run");
    }

    public Path data(String service) {
        return home.resolve("data").resolve(service);
    }

    public String postgresUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + postgresPort + "/" + database;
    }

    public String kafkaBootstrap() {
        return HOST + ":" + kafkaPort;
    }

    public String clickhouseUrl() {
        return "jdbc:clickhouse://" + HOST + ":" + clickhouseHttpPort + "/default";
    }

    public String s3Endpoint() {
        return "http://" + HOST + ":" + s3Port;
    }

    /**
     * The application's connection settings for this stack, keyed by Spring property name. The demo server gets
     * them as environment variables, the tests as dynamic properties: one source for both.
     */
    public Map<String, String> applicationProperties(LocalCredentials credentials) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("dvd.source.url", postgresUrl(SOURCE_DATABASE));
        props.put("dvd.source.username", POSTGRES_USER);
        props.put("dvd.state.url", postgresUrl(STATE_DATABASE));
        props.put("dvd.state.username", POSTGRES_USER);
        props.put("dvd.warehouse.url", clickhouseUrl());
        props.put("dvd.warehouse.username", "default");
        props.put("dvd.warehouse.password", "");
        props.put("dvd.kafka.brokers", kafkaBootstrap());
        props.put("dvd.s3.endpoint", s3Endpoint());
        props.put("dvd.s3.access-key", credentials.s3Identity());
        props.put("dvd.s3.secret-key", credentials.s3Credential());
        return props;
    }

    /** {@code dvd.s3.access-key} becomes {@code DVD_S3_ACCESSKEY}: Spring's relaxed binding for environment variables. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace("-", "").replace('.', '_');
    }

    static String setting(String key, String fallback) {
        String value = System.getProperty("dvd." + key);
        if (value == null || value.isBlank()) {
            value = System.getenv("DVD_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intSetting(String key, int fallback) {
        String value = setting(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dvd." + key + " must be a port number, got '" + value + "'", e);
        }
    }

    /** The project root: {@code dvd.root}/{@code DVD_ROOT}, else the nearest folder above the working one with the launcher. */
    static Path projectRoot() {
        String configured = setting("root", null);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("services/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the project root above " + Path.of("").toAbsolutePath()
                + "; set DVD_ROOT");
    }
}
