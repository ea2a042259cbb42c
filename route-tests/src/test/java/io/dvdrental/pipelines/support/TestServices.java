package io.dvdrental.pipelines.support;

import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.StackConfig;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real services the tests run against, chosen once per test JVM by {@code dvd.services.mode}
 * ({@code DVD_SERVICES_MODE}):
 * <ul>
 *   <li>{@code auto} (default): Testcontainers where a Docker engine answers, else the local processes;</li>
 *   <li>{@code local}: PostgreSQL, Kafka, S3Proxy and ClickHouse as local processes (the services module);</li>
 *   <li>{@code testcontainers}: the same services as containers;</li>
 *   <li>{@code external}: nothing is started; the endpoints come from configuration ({@code DVD_SOURCE_URL}, ...),
 *       e.g. a staging cluster.</li>
 * </ul>
 */
public final class TestServices {

    public enum Mode { LOCAL, TESTCONTAINERS, EXTERNAL }

    /** The operator password of the server under test: made per test JVM, never stored. */
    public static final String ADMIN_PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    public static final String ADMIN_USER = "operator";
    /** A read-only account (role VIEWER): signs in, but everything the operator role guards refuses it. */
    public static final String VIEWER_USER = "viewer";
    public static final String VIEWER_PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    /** The scrape-only account (role METRICS): reads /actuator/prometheus and nothing else. */
    public static final String METRICS_USER = "prometheus";
    public static final String METRICS_PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

    private static Map<String, String> properties;
    private static LocalStack localStack;

    private TestServices() {
    }

    public static Mode mode() {
        String configured = System.getProperty("dvd.services.mode", System.getenv().getOrDefault("DVD_SERVICES_MODE", "auto"));
        return switch (configured.toLowerCase(Locale.ROOT)) {
            case "local" -> Mode.LOCAL;
            case "testcontainers" -> Mode.TESTCONTAINERS;
            case "external" -> Mode.EXTERNAL;
            case "auto" -> ContainerServices.dockerAvailable() ? Mode.TESTCONTAINERS : Mode.LOCAL;
            default -> throw new IllegalArgumentException("dvd.services.mode must be auto, local, testcontainers "
                    + "or external, got '" + configured + "'");
        };
    }

    /** Spring properties that point the server at the running services, starting them on first call. */
    public static synchronized Map<String, String> properties() {
        if (properties == null) {
            Map<String, String> props = new LinkedHashMap<>(switch (mode()) {
                case LOCAL -> local();
                case TESTCONTAINERS -> ContainerServices.start();
                case EXTERNAL -> {
                    if (fork() > 1) {
                        throw new IllegalStateException("External services are shared by every test JVM: run the "
                                + "tests in one (-Ddvd.test.forks=1)");
                    }
                    yield Map.of();
                }
            });
            props.put("dvd.security.admin-user", ADMIN_USER);
            props.put("dvd.security.admin-password", ADMIN_PASSWORD);
            props.put("dvd.security.viewer-user", VIEWER_USER);
            props.put("dvd.security.viewer-password", VIEWER_PASSWORD);
            props.put("dvd.security.metrics.user", METRICS_USER);
            props.put("dvd.security.metrics.password", METRICS_PASSWORD);
            properties = Map.copyOf(props);
        }
        return properties;
    }

    /** The local stack, for tests that stop and start a service (faults); empty in the other modes. */
    public static synchronized java.util.Optional<LocalStack> localStack() {
        properties();
        return java.util.Optional.ofNullable(localStack);
    }

    /** Which of the test JVMs running at once this is (1, 2, ...; surefire's fork number). */
    private static int fork() {
        return Integer.getInteger("dvd.test.fork", 1);
    }

    private static Map<String, String> local() {
        try {
            localStack = LocalStack.of(StackConfig.fromSettings("test").forFork(fork()));
            List<String> startedHere = localStack.up(List.of()).stream()
                    .filter(e -> e.state() == LocalStack.State.STARTED).map(LocalStack.Entry::service).toList();
            if (!startedHere.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        localStack.down(startedHere);
                    } catch (Exception e) {
                        System.err.println("Could not stop the test services: " + e.getMessage());
                    }
                }, "test-services-down"));
            }
            return localStack.applicationProperties();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot bring the local test services up: " + e.getMessage(), e);
        }
    }
}
