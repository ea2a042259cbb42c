package io.dvdrental.pipelines;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each real service is reached through the connection code the routes use: the server's data sources with
 * camel-sql, its Kafka component, its S3 client with camel-aws2-s3.
 */
@RealServicesTest
@SuppressWarnings("unchecked")
class ServicesReachTest {

    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    @Autowired
    TestRestTemplate http;

    @Value("${dvd.s3.bucket}")
    String bucket;

    @Test
    void aRowGoesThroughPostgresql() {
        String table = "reach_" + RUN;
        producer.requestBody("sql:CREATE TABLE " + table + " (id int PRIMARY KEY, name text)?dataSource=#sourceDataSource", (Object) null);
        try {
            producer.requestBodyAndHeaders("sql:INSERT INTO " + table + " VALUES (:#id, :#name)?dataSource=#sourceDataSource",
                    null, Map.of("id", 7, "name", "Academy Dinosaur"));
            List<Object> rows = producer.requestBody("sql:SELECT id, name FROM " + table + "?dataSource=#sourceDataSource",
                    null, List.class);
            assertThat(rows).containsExactly(Map.of("id", 7, "name", "Academy Dinosaur"));
        } finally {
            producer.requestBody("sql:DROP TABLE " + table + "?dataSource=#sourceDataSource", (Object) null);
        }
    }

    @Test
    void aMessageGoesThroughKafka() {
        String topic = "reach-" + RUN;
        String body = "{\"film_id\":1,\"run\":\"" + RUN + "\"}";
        producer.sendBody("kafka:" + topic, body);
        String received = consumer.receiveBody("kafka:" + topic + "?groupId=reach-" + RUN
                + "&autoOffsetReset=earliest", 30_000, String.class);
        assertThat(received).isEqualTo(body);
    }

    @Test
    void anObjectGoesThroughS3() {
        String key = "reach/" + RUN + ".csv";
        String endpoint = "aws2-s3://" + bucket + "?amazonS3Client=#s3Client&autoCreateBucket=true";
        producer.sendBodyAndHeader(endpoint, "film_id,title\n1,Academy Dinosaur\n", AWS2S3Constants.KEY, key);
        String read = producer.requestBodyAndHeaders(endpoint + "&operation=" + AWS2S3Operations.getObject, null,
                Map.of(AWS2S3Constants.KEY, key), String.class);
        assertThat(read).isEqualTo("film_id,title\n1,Academy Dinosaur\n");
    }

    @Test
    void aTableAndAQueryInClickHouse() {
        String table = "reach_" + RUN;
        String ds = "?dataSource=#warehouseDataSource";
        producer.requestBody("sql:CREATE TABLE " + table + " (film_id UInt32, title String) ENGINE = MergeTree ORDER BY film_id" + ds, (Object) null);
        try {
            producer.requestBodyAndHeaders("sql:INSERT INTO " + table + " VALUES (:#id, :#title)" + ds, null,
                    Map.of("id", 1, "title", "Academy Dinosaur"));
            producer.requestBodyAndHeaders("sql:INSERT INTO " + table + " VALUES (:#id, :#title)" + ds, null,
                    Map.of("id", 2, "title", "Ace Goldfinger"));
            Map<String, Object> result = producer.requestBody("sql:SELECT toInt32(count()) AS films, max(title) AS last FROM "
                    + table + ds + "&outputType=SelectOne", (Object) null, Map.class);
            assertThat(result).containsEntry("films", 2).containsEntry("last", "Ace Goldfinger");
        } finally {
            producer.requestBody("sql:DROP TABLE " + table + ds, (Object) null);
        }
    }

    @Test
    void theServerIsReadyWithEveryServiceReached() {
        var health = http.getForEntity("/actuator/health/readiness", String.class);
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody()).contains("\"status\":\"UP\"");
    }
}
