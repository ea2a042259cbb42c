package io.dvdrental.pipelines.warehouse;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once holds only while ClickHouse deduplicates repeated inserts on every table they write. A view target
 * whose window was set to 0 (as on an engine that ignores the setting) must keep the server not ready, and say which
 * table and why.
 */
@RealServicesTest
class DeduplicationReadinessTest {

    private static final String TABLE = "stream.device_event_per_minute";

    @Autowired
    TestRestTemplate http;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @AfterEach
    void restoreTheWindow() {
        warehouse.getJdbcTemplate().execute("ALTER TABLE " + TABLE
                + " MODIFY SETTING non_replicated_deduplication_window = 10000");
    }

    @Test
    void aTableWithoutDeduplicationKeepsTheServerNotReadyAndIsNamed() {
        TestRestTemplate operator = http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
        assertThat(operator.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value())
                .isEqualTo(200);

        warehouse.getJdbcTemplate().execute("ALTER TABLE " + TABLE
                + " MODIFY SETTING non_replicated_deduplication_window = 0");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                operator.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value() == 503);
        ResponseEntity<String> down = operator.getForEntity("/actuator/health/readiness", String.class);
        assertThat(down.getBody()).contains("warehouseDeduplication").contains(TABLE)
                .contains("non_replicated_deduplication_window = 0");

        restoreTheWindow();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                operator.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value() == 200);
    }
}
