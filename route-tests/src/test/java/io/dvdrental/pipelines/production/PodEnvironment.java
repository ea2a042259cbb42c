package io.dvdrental.pipelines.production;

import io.dvdrental.pipelines.support.TestServices;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment the Deployment gives the pod (ConfigMap and Secrets, openshift), pointed at the test
 * services instead of the cloud ones. With the local services, PostgreSQL runs TLS checked with verify-full and
 * Kafka is a SASL_SSL broker of its own; the local ClickHouse and S3 speak plain HTTP only.
 */
public class PodEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static Map<String, Object> environment;
    private static PostgresTls postgresTls;
    private static SaslSslKafka kafka;
    private static SelfSignedCertificate servingCertificate;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources()
                // Named like the JVM's environment so that Spring maps DVD_X_Y to dvd.x.y as it does in the pod.
                .addFirst(new SystemEnvironmentPropertySource("pod-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        environment()));
    }

    static boolean tls() {
        environment();
        return kafka != null;
    }

    /** Client settings of the SASL_SSL broker (admin, producer, consumer); only with the local services. */
    static Map<String, Object> kafkaClientProperties() {
        environment();
        return kafka.clientProperties();
    }

    /** The certificate the metrics port serves, to trust it. */
    static SelfSignedCertificate servingCertificate() {
        environment();
        return servingCertificate;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static synchronized Map<String, Object> environment() {
        if (environment != null) {
            return environment;
        }
        Map<String, String> services = TestServices.properties();
        boolean local = TestServices.localStack().isPresent();
        Map<String, Object> env = new LinkedHashMap<>();
        try {
            URI source = jdbc(services.get("dvd.source.url"));
            URI state = jdbc(services.get("dvd.state.url"));
            URI warehouse = jdbc(services.get("dvd.warehouse.url"));
            env.put("DVD_SOURCE_HOST", source.getHost());
            env.put("DVD_SOURCE_PORT", String.valueOf(source.getPort()));
            env.put("DVD_SOURCE_DATABASE", source.getPath().substring(1));
            env.put("DVD_SOURCE_USERNAME", services.get("dvd.source.username"));
            env.put("DVD_SOURCE_PASSWORD", services.getOrDefault("dvd.source.password", ""));
            env.put("DVD_STATE_HOST", state.getHost());
            env.put("DVD_STATE_PORT", String.valueOf(state.getPort()));
            env.put("DVD_STATE_DATABASE", state.getPath().substring(1));
            env.put("DVD_STATE_USERNAME", services.get("dvd.state.username"));
            env.put("DVD_STATE_PASSWORD", services.getOrDefault("dvd.state.password", ""));
            env.put("DVD_WAREHOUSE_PROTOCOL", "http");
            env.put("DVD_WAREHOUSE_SSL", "false");
            env.put("DVD_WAREHOUSE_HOST", warehouse.getHost());
            env.put("DVD_WAREHOUSE_PORT", String.valueOf(warehouse.getPort()));
            env.put("DVD_WAREHOUSE_DATABASE", Optional.ofNullable(warehouse.getPath()).filter(p -> p.length() > 1)
                    .map(p -> p.substring(1)).orElse("default"));
            env.put("DVD_WAREHOUSE_USERNAME", services.get("dvd.warehouse.username"));
            env.put("DVD_WAREHOUSE_PASSWORD", services.getOrDefault("dvd.warehouse.password", ""));
            env.put("DVD_S3_ENDPOINT", services.get("dvd.s3.endpoint"));
            env.put("DVD_S3_PATHSTYLE", "true");
            env.put("DVD_S3_REGION", "us-east-1");
            env.put("DVD_S3_ACCESSKEY", services.get("dvd.s3.access-key"));
            env.put("DVD_S3_SECRETKEY", services.get("dvd.s3.secret-key"));
            env.put("DVD_SECURITY_ADMINUSER", TestServices.ADMIN_USER);
            env.put("DVD_SECURITY_ADMINPASSWORD", TestServices.ADMIN_PASSWORD);
            env.put("DVD_SECURITY_METRICS_USER", TestServices.METRICS_USER);
            env.put("DVD_SECURITY_METRICS_PASSWORD", TestServices.METRICS_PASSWORD);
            if (local) {
                Path dir = Files.createTempDirectory("dvd-prod-tls");
                SelfSignedCertificate cert = SelfSignedCertificate.create(dir.resolve("tls"));
                postgresTls = new PostgresTls("jdbc:postgresql://" + state.getHost() + ":" + state.getPort() + "/postgres",
                        services.get("dvd.state.username"));
                postgresTls.enable(cert);
                env.put("DVD_POSTGRES_SSLMODE", "verify-full");
                env.put("DVD_POSTGRES_SSLROOTCERT", cert.certificate().toString());
                // The metrics port serves TLS with the Service's certificate, as the service CA writes it.
                Path serving = Files.createDirectories(dir.resolve("serving-tls"));
                Files.copy(cert.certificate(), serving.resolve("tls.crt"));
                Files.copy(cert.key(), serving.resolve("tls.key"));
                servingCertificate = cert;
                env.put("DVD_SERVING_TLS_DIR", serving.toString());
                env.put("DVD_SECURITY_METRICS_PORT", String.valueOf(freePort()));
                kafka = SaslSslKafka.start(dir.resolve("kafka"), cert, HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
                env.put("DVD_KAFKA_BROKERS", kafka.bootstrap());
                env.put("DVD_KAFKA_USERNAME", SaslSslKafka.USER);
                env.put("DVD_KAFKA_PASSWORD", kafka.password());
                env.put("DVD_KAFKA_TRUSTSTORE_LOCATION", cert.certificate().toString());
                env.put("DVD_KAFKA_TRUSTSTORE_TYPE", "PEM");
            } else {
                // Containers and external services: whatever the services offer, without TLS (so the prod profile's
                // refusal of unverified PostgreSQL TLS is lifted here; ProdProfilePostgresTlsTest covers it).
                env.put("DVD_POSTGRES_SSLMODE", "prefer");
                env.put("DVD_POSTGRES_REQUIREVERIFIEDTLS", "false");
                env.put("DVD_SECURITY_METRICS_PORT", "");
                env.put("DVD_KAFKA_BROKERS", services.get("dvd.kafka.brokers"));
                env.put("DVD_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
                env.put("DVD_KAFKA_USERNAME", "unused");
                env.put("DVD_KAFKA_PASSWORD", "unused");
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Cannot prepare the TLS services for the prod profile: " + e.getMessage(), e);
        }
        environment = Map.copyOf(env);
        return environment;
    }

    /** Stops the SASL_SSL broker and turns PostgreSQL's TLS off again. */
    static synchronized void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgresTls != null) {
            try {
                postgresTls.disable();
            } catch (Exception e) {
                System.err.println("Could not turn PostgreSQL TLS off: " + e.getMessage());
            }
            postgresTls = null;
        }
        servingCertificate = null;
        environment = null;
    }

    private static URI jdbc(String url) {
        return URI.create(url.substring("jdbc:".length()));
    }
}
