package io.dvdrental.pipelines.services;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A real Apache Kafka broker in KRaft mode (broker and controller in one process), from the Maven artifacts. */
final class KafkaService implements LocalService {

    private final StackConfig config;

    KafkaService(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public List<Port> ports() {
        return List.of(new Port(config.kafkaPort(), "Kafka broker", "kafka.port"),
                new Port(config.kafkaControllerPort(), "Kafka KRaft controller", "kafka.controller.port"));
    }

    @Override
    public String address() {
        return config.kafkaBootstrap() + " (PLAINTEXT)";
    }

    @Override
    public List<String> prepare() throws IOException {
        Path dir = Files.createDirectories(config.data(name()));
        Path clusterIdFile = dir.resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
        }
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@" + StackConfig.HOST + ":" + config.kafkaControllerPort());
        props.setProperty("listeners", "PLAINTEXT://" + StackConfig.HOST + ":" + config.kafkaPort()
                + ",CONTROLLER://" + StackConfig.HOST + ":" + config.kafkaControllerPort());
        props.setProperty("advertised.listeners", "PLAINTEXT://" + config.kafkaBootstrap());
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dir.resolve("logs").toString());
        props.setProperty("num.partitions", "4");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "4");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("log.retention.hours", "48");
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "written by the launcher on every start");
        }
        return ProcessSupport.javaCommand("512m", KafkaServer.class.getName(), file.toString(),
                dir.resolve("logs").toString(), Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim());
    }

    @Override
    public boolean isReady() {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(conf)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                    .get(4, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
