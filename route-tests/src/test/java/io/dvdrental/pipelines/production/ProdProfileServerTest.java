package io.dvdrental.pipelines.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.DvdPipelinesApplication;
import io.dvdrental.pipelines.stream.StreamProperties;
import io.dvdrental.pipelines.stream.StreamTestSupport;
import io.dvdrental.pipelines.stream.TestClicks;
import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.support.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spring.boot.actuate.health.liveness.CamelLivenessStateHealthIndicator;
import org.apache.camel.spring.boot.actuate.health.readiness.CamelReadinessStateHealthIndicator;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server as the Deployment starts it: profile {@code prod}, configuration only from the pod's environment
 * (ConfigMap and Secret keys), pointed at the local services with TLS where they have it: PostgreSQL with
 * sslmode=verify-full against a test CA, Kafka over SASL_SSL/PLAIN. It must reach ready, with its metrics for the
 * ServiceMonitor on a TLS port of their own behind a scrape-only account.
 */
@CamelSpringBootTest
// Metrics export stays on, as in the pod: the ServiceMonitor scrapes /actuator/prometheus.
@AutoConfigureObservability
@SpringBootTest(classes = DvdPipelinesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PodEnvironment.class)
@ActiveProfiles("prod")
@DirtiesContext
class ProdProfileServerTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    TestRestTemplate http;

    @Autowired
    JdbcTemplate state;

    @Autowired
    @Qualifier("sourceJdbcTemplate")
    NamedParameterJdbcTemplate source;

    @Autowired
    CamelContext camel;

    @Autowired
    ApplicationContext context;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    StreamProperties stream;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @AfterAll
    static void stopTlsServices() {
        PodEnvironment.stop();
    }

    @Test
    void theServerIsReadyAndLiveWithCamelsHealthChecksInTheProbes() {
        assertThat(context.getBeansOfType(CamelReadinessStateHealthIndicator.class)).hasSize(1);
        assertThat(context.getBeansOfType(CamelLivenessStateHealthIndicator.class)).hasSize(1);
        for (String probe : new String[] {"readiness", "liveness"}) {
            ResponseEntity<String> health = http.getForEntity("/actuator/health/" + probe, String.class);
            assertThat(health.getStatusCode().value()).as(probe).isEqualTo(200);
            assertThat(health.getBody()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void prometheusMetricsNeedAnAccount() {
        // Anonymous first: the operator's request below opens a session the shared HTTP client would reuse.
        // Anonymous callers get a 401 or the login form (the client follows the redirect), never metrics.
        ResponseEntity<String> anonymous = http.getForEntity("/actuator/prometheus", String.class);
        assertThat(anonymous.getBody()).as("metrics need an account")
                .doesNotContain("jvm_memory_used_bytes");
        assertThat(anonymous.getStatusCode().value() == 401 || anonymous.getBody().contains("login"))
                .as("refused: %s", anonymous.getStatusCode()).isTrue();
        TestRestTemplate operator = http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
        ResponseEntity<String> metrics = operator.getForEntity("/actuator/prometheus", String.class);
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).contains("jvm_memory_used_bytes");
    }

    /**
     * What the ServiceMonitor does: the scrape-only account reads the metrics over TLS on the metrics port, checking
     * the Service's certificate. That port serves nothing else, and the account opens nothing else anywhere.
     */
    @Test
    void theScrapeAccountReadsTheMetricsOverTlsOnTheMetricsPortAndNothingElse() throws Exception {
        assumeTrue(PodEnvironment.tls(), "the serving certificate is made only with the local services");
        String metricsPort = (String) PodEnvironment.environment().get("DVD_SECURITY_METRICS_PORT");
        HttpClient prometheus = trusting(PodEnvironment.servingCertificate().certificate());
        String scrape = "https://localhost:" + metricsPort;

        HttpResponse<String> metrics = get(prometheus, scrape + "/actuator/prometheus", TestServices.METRICS_USER,
                TestServices.METRICS_PASSWORD);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        assertThat(get(prometheus, scrape + "/actuator/prometheus", TestServices.METRICS_USER, "wrong").statusCode())
                .isEqualTo(401);
        // The metrics port serves the metrics only, even to the operator.
        for (String path : List.of("/actuator/metrics", "/actuator/hawtio/", "/api/pipelines", "/dashboards/batch.html")) {
            assertThat(get(prometheus, scrape + path, TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD).statusCode())
                    .as(path + " on the metrics port").isEqualTo(403);
        }
        // No plain HTTP there: Tomcat answers that the port requires TLS, and nothing else.
        HttpResponse<String> plain = get(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                "http://localhost:" + metricsPort + "/actuator/prometheus", TestServices.METRICS_USER,
                TestServices.METRICS_PASSWORD);
        assertThat(plain.statusCode()).as("plain HTTP on the metrics port").isEqualTo(400);
        assertThat(plain.body()).doesNotContain("jvm_memory_used_bytes");

        TestRestTemplate scraper = http.withBasicAuth(TestServices.METRICS_USER, TestServices.METRICS_PASSWORD);
        assertThat(scraper.getForEntity("/actuator/metrics", String.class).getStatusCode().value()).isEqualTo(403);
        assertThat(scraper.postForEntity("/api/batch/runs", null, String.class).getStatusCode().value()).isEqualTo(403);
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user, String password) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTPS client that trusts only the given certificate (and checks the host name against it). */
    private static HttpClient trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("serving", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void everyPostgresqlConnectionIsEncryptedAndItsCertificateChecked() {
        assumeTrue(PodEnvironment.tls(), "TLS is set up only with the local services");
        String sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        assertThat(state.queryForObject(sql, Boolean.class)).as("state database over TLS").isTrue();
        assertThat(source.getJdbcTemplate().queryForObject(sql, Boolean.class)).as("source database over TLS").isTrue();
        assertThat(PodEnvironment.environment()).containsEntry("DVD_POSTGRES_SSLMODE", "verify-full");
    }

    @Test
    void kafkaMessagesGoOverSaslSsl() throws Exception {
        assumeTrue(PodEnvironment.tls(), "the SASL_SSL broker runs only with the local services");
        KafkaComponent kafka = camel.getComponent("kafka", KafkaComponent.class);
        assertThat(kafka.getConfiguration().getSecurityProtocol()).isEqualTo("SASL_SSL");
        assertThat(kafka.getConfiguration().getSaslMechanism()).isEqualTo("PLAIN");
        String topic = "prod-profile-" + RUN;
        createTopic(topic);
        String body = "{\"film_id\":1,\"run\":\"" + RUN + "\"}";
        producer.sendBody("kafka:" + topic, body);
        String received = consumer.receiveBody("kafka:" + topic + "?groupId=prod-profile-" + RUN
                + "&autoOffsetReset=earliest", 60_000, String.class);
        assertThat(received).isEqualTo(body);
    }
    @Test
    void theClickTopicsAreCreatedOverSaslSslWithTheirPartitions() throws Exception {
        assumeTrue(PodEnvironment.tls(), "the SASL_SSL broker runs only with the local services");
        try (Admin admin = Admin.create(PodEnvironment.kafkaClientProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(stream.topic(), stream.dlqTopic()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.get(stream.topic()).partitions()).hasSize(stream.partitions());
            assertThat(topics.get(stream.dlqTopic()).partitions()).hasSize(stream.partitions());
        }
    }

    @Test
    void pipelinesApiAnswersWithTheConsumerLagOverSaslSsl() throws Exception {
        assumeTrue(PodEnvironment.tls(), "the SASL_SSL broker runs only with the local services");
        ResponseEntity<String> answer = http.getForEntity("/api/pipelines", String.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        JsonNode streamStatus = JSON.readTree(answer.getBody()).get("stream");
        assertThat(streamStatus.has("error")).as("stream status: %s", streamStatus).isFalse();
        assertThat(streamStatus.get("consumerLag")).hasSize(stream.partitions());
        assertThat(streamStatus.get("totalLag").isNumber()).isTrue();
        assertThat(streamStatus.get("dlqCount").isNumber()).isTrue();
    }

    /**
     * The dead-letter topic is gone (deleted, or never created where topics are not created automatically): the
     * first bad click must not hold its consumer's partitions, and it must still end up somewhere with its reason.
     */
    @Test
    void aBadClickWhileTheDeadLetterTopicIsMissingStallsNoPartitionAndIsKept() throws Exception {
        assumeTrue(PodEnvironment.tls(), "the SASL_SSL broker runs only with the local services");
        Map<String, Object> client = PodEnvironment.kafkaClientProperties();
        try (Admin admin = Admin.create(client)) {
            admin.deleteTopics(List.of(stream.dlqTopic())).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS)
                    .contains(stream.dlqTopic()));
        }
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(10), 40, 0);
        byte[] bad = ("not json " + RUN).getBytes(StandardCharsets.UTF_8);
        int good = 400;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(),
                new ByteArraySerializer())) {
            // The bad click first on every partition, then good ones behind it.
            for (int p = 0; p < stream.partitions(); p++) {
                producer.send(new ProducerRecord<>(stream.topic(), p, "bad-" + RUN, bad)).get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < good; i++) {
                Click click = clicks.next();
                producer.send(new ProducerRecord<>(stream.topic(), i % stream.partitions(), click.key(), click.value()));
            }
            producer.flush();
        }
        String count = "SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> warehouse.queryForObject(count, Map.of(), Long.class) >= good);
        assertThat(warehouse.queryForObject(count, Map.of(), Long.class)).isEqualTo(good);

        // At least once: a round that failed on the missing topic may send a letter again.
        Map<String, String> reasons = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(client, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < stream.partitions(); p++) {
                partitions.add(new TopicPartition(stream.dlqTopic(), p));
            }
            dlq.assign(partitions);
            dlq.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> letter : dlq.poll(Duration.ofMillis(500))) {
                    if (Arrays.equals(letter.value(), bad)) {
                        reasons.put(header(letter, "dlq.source.partition"), header(letter, "dlq.reason"));
                    }
                }
                return reasons.size() >= stream.partitions();
            });
        }
        assertThat(reasons).hasSize(stream.partitions())
                .allSatisfy((partition, reason) -> assertThat(reason).startsWith("not_json: "));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(PodEnvironment.kafkaClientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
