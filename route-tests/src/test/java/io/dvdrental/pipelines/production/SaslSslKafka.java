package io.dvdrental.pipelines.production;

import io.dvdrental.pipelines.services.KafkaServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of its own that only speaks SASL_SSL with the PLAIN mechanism, as Confluent Cloud does: the
 * local stack's broker is plaintext. Same binaries and entry point as the stack's broker (services module).
 */
final class SaslSslKafka implements AutoCloseable {

    static final String USER = "dvd-pipelines";

    private final Process process;
    private final String bootstrap;
    private final String password;
    private final SelfSignedCertificate cert;

    private SaslSslKafka(Process process, String bootstrap, String password, SelfSignedCertificate cert) {
        this.process = process;
        this.bootstrap = bootstrap;
        this.password = password;
        this.cert = cert;
    }

    static SaslSslKafka start(Path dir, SelfSignedCertificate cert, String password) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        String bootstrap = "127.0.0.1:" + port;
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty("listeners", "SASL_SSL://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "SASL_SSL://" + bootstrap);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        props.setProperty("inter.broker.listener.name", "SASL_SSL");
        props.setProperty("sasl.enabled.mechanisms", "PLAIN");
        props.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.setProperty("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\""
                        + password + "\" user_broker=\"" + password + "\" user_" + USER + "=\"" + password + "\";");
        props.setProperty("ssl.keystore.type", "PEM");
        props.setProperty("ssl.keystore.location", cert.keyAndCertificate().toString());
        props.setProperty("ssl.truststore.type", "PEM");
        props.setProperty("ssl.truststore.location", cert.certificate().toString());
        props.setProperty("log.dirs", dir.resolve("logs").toString());
        props.setProperty("num.partitions", "2");
        // As on Confluent Cloud: a topic exists only when someone with the right to create it made it.
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "2");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "SASL_SSL test broker");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-Dlogback.configurationFile=dvd-services/logback-server.xml", "-cp", serverClasspath(),
                KafkaServer.class.getName(), config.toString(), dir.resolve("logs").toString(), Uuid.randomUuid().toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.log").toFile()).start();
        SaslSslKafka kafka = new SaslSslKafka(process, bootstrap, password, cert);
        try {
            Awaitility.await("the SASL_SSL broker").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("broker exited: " + Files.readString(dir.resolve("broker.log")));
                        }
                        try (Admin admin = Admin.create(kafka.clientProperties())) {
                            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                        }
                    });
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    String bootstrap() {
        return bootstrap;
    }

    String password() {
        return password;
    }

    Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrap,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", cert.certificate().toString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Kafka server classpath the services module's build wrote, plus that module's classes. */
    private static String serverClasspath() throws Exception {
        try (InputStream in = KafkaServer.class.getResourceAsStream("/dvd-services/server.classpath")) {
            if (in == null) {
                throw new IOException("dvd-services/server.classpath is missing: build the services module");
            }
            String self = Path.of(KafkaServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return self + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
