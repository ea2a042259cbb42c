package io.dvdrental.pipelines.production;

import io.dvdrental.pipelines.DvdPipelinesApplication;
import io.dvdrental.pipelines.support.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spring.boot.actuate.health.liveness.CamelLivenessStateHealthIndicator;
import org.apache.camel.spring.boot.actuate.health.readiness.CamelReadinessStateHealthIndicator;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
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

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server as the Deployment starts it: profile {@code prod}, configuration only from the pod's environment
 * (ConfigMap and Secret keys), pointed at the local services with TLS where they have it: PostgreSQL with
 * sslmode=verify-full against a test CA, Kafka over SASL_SSL/PLAIN. It must reach ready, with its metrics for the
 * ServiceMonitor behind the operator account.
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
    void prometheusMetricsAnswerTheOperatorOnly() {
        // Anonymous first: the operator's request below opens a session the shared HTTP client would reuse.
        // Anonymous callers get a 401 or the login form (the client follows the redirect), never metrics.
        ResponseEntity<String> anonymous = http.getForEntity("/actuator/prometheus", String.class);
        assertThat(anonymous.getBody()).as("metrics need the operator account (the ServiceMonitor's basicAuth)")
                .doesNotContain("jvm_memory_used_bytes");
        assertThat(anonymous.getStatusCode().value() == 401 || anonymous.getBody().contains("login"))
                .as("refused: %s", anonymous.getStatusCode()).isTrue();
        TestRestTemplate operator = http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
        ResponseEntity<String> metrics = operator.getForEntity("/actuator/prometheus", String.class);
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).contains("jvm_memory_used_bytes");
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
    void kafkaMessagesGoOverSaslSsl() {
        assumeTrue(PodEnvironment.tls(), "the SASL_SSL broker runs only with the local services");
        KafkaComponent kafka = camel.getComponent("kafka", KafkaComponent.class);
        assertThat(kafka.getConfiguration().getSecurityProtocol()).isEqualTo("SASL_SSL");
        assertThat(kafka.getConfiguration().getSaslMechanism()).isEqualTo("PLAIN");
        String topic = "prod-profile-" + RUN;
        String body = "{\"film_id\":1,\"run\":\"" + RUN + "\"}";
        producer.sendBody("kafka:" + topic, body);
        String received = consumer.receiveBody("kafka:" + topic + "?groupId=prod-profile-" + RUN
                + "&autoOffsetReset=earliest", 60_000, String.class);
        assertThat(received).isEqualTo(body);
    }
}
