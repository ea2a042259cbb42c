package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.BatchScheduleRoutes;
import io.dvdrental.pipelines.batch.BatchTestSupport;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With change capture on, the whole chain runs on a short schedule (every 5 s here, a minute by default): a change
 * at the source reaches gold with no run started by hand. A slot and capture name of its own.
 */
@RealServicesTest
@TestPropertySource(properties = {"dvd.batch.capture=cdc", "dvd.cdc.capture-name=dvdrental_schedule",
        "dvd.cdc.slot=dvd_cdc_schedule", "dvd.cdc.publication=dvd_cdc_schedule", "dvd.cdc.heartbeat-interval=PT2S",
        "dvd.batch.schedule.enabled=true", "dvd.batch.schedule.cdc-cron=0/5 * * * * ?",
        "dvd.batch.schedule.daily-cron=0 0 3 1 1 ? 2099", "dvd.batch.schedule.dim-date-cron=0 0 3 1 1 ? 2099"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CaptureScheduleTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouseTemplate;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Autowired
    CamelContext camel;
    @Autowired
    QuartzComponent quartz;

    @Test
    void aChangeAtTheSourceReachesGoldWithNoRunStartedByHand() throws Exception {
        JdbcTemplate warehouse = warehouseTemplate.getJdbcTemplate();
        JdbcTemplate source = new JdbcTemplate(sourceDataSource);
        try {
            camel.getRouteController().stopRoute(BatchScheduleRoutes.CDC_SCHEDULE_ROUTE);
            camel.getRouteController().stopRoute(CaptureRoute.ROUTE_ID);
            BatchTestSupport.resetWarehouseAndState(warehouse, state);
            BatchTestSupport.seedGenerated(sourceDataSource, 11, 0.05);
            ResponseEntity<Map> resnapshot = operator().postForEntity("/api/cdc/resnapshot", null, Map.class);
            assertThat(resnapshot.getStatusCode().value()).as("%s", resnapshot.getBody()).isEqualTo(202);
            camel.getRouteController().startRoute(BatchScheduleRoutes.CDC_SCHEDULE_ROUTE);
            String email = source.queryForObject("SELECT email FROM customer WHERE customer_id = 5", String.class);
            await("the snapshot in gold").atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                    warehouse.queryForObject("SELECT email FROM gold.dim_customer WHERE customer_id = 5", String.class))
                    .isEqualTo(email));

            Timestamp changed = source.queryForObject("SELECT now()", Timestamp.class);
            source.update("UPDATE customer SET email = 'scheduled@example.com' WHERE customer_id = 5");

            await("the change in gold").atMost(PATIENCE).untilAsserted(() -> assertThat(
                    warehouse.queryForObject("SELECT email FROM gold.dim_customer WHERE customer_id = 5", String.class))
                    .isEqualTo("scheduled@example.com"));
            assertThat(state.queryForList("SELECT DISTINCT trigger FROM batch_run WHERE started_at > ?", String.class,
                    changed)).as("who started the runs since the change").containsExactly("schedule");
        } finally {
            // The job store outlives this context; no slot left behind to keep WAL on the test stack.
            quartz.getScheduler().clear();
            operator().postForObject("/api/cdc/slot/drop", null, Map.class);
        }
    }

    private TestRestTemplate operator() {
        return http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
    }
}
