package io.dvdrental.pipelines.batch;

import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.awaitRun;
import static io.dvdrental.pipelines.batch.BatchTestSupport.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The schedules on the clustered Quartz job store in PostgreSQL: the dim_date cron (every 3 seconds here) starts
 * dim_date and chains into its dependants, fact_rental_monthly and report_rentals; runs never overlap.
 */
@BatchSampleTest
@TestPropertySource(properties = {
        "dvd.batch.schedule.enabled=true",
        "dvd.batch.schedule.dim-date-cron=0/3 * * * * ?",
        "dvd.batch.schedule.daily-cron=0 0 3 1 1 ? 2099"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BatchScheduleTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    QuartzComponent quartz;

    @BeforeAll
    static void restoreSample() throws Exception {
        assumeTrue(SampleSource.available(), "skipped: the dvdrental sample " + SampleSource.dump()
                + " (or /usr/bin/psql) is not on this machine");
        SampleSource.restore();
    }

    @Test
    @SuppressWarnings("rawtypes")
    void theDimDateCronChainsIntoItsDependants() throws Exception {
        try {
            BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
            // Scheduled dim_date runs may hold the run lock for a moment: retry until the full run is accepted.
            ResponseEntity<Map> started = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                    .until(() -> operator(http).postForEntity("/api/batch/runs", Map.of("mode", "full"), Map.class),
                            r -> r.getStatusCode().value() == 202);
            Map<String, Object> full = awaitRun(http, (String) started.getBody().get("runId"));
            assertThat(full.get("state")).as("run error: %s", full.get("error")).isEqualTo("SUCCEEDED");
            Timestamp fullEnded = state.queryForObject("SELECT finished_at FROM batch_run WHERE run_id = ?",
                    Timestamp.class, full.get("run_id"));

            String scheduled = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> state.queryForList("SELECT run_id FROM batch_run WHERE trigger = 'schedule' "
                                    + "AND scope = 'DIM_DATE' AND state = 'SUCCEEDED' AND started_at > ? "
                                    + "ORDER BY started_at LIMIT 1", String.class, fullEnded),
                            ids -> !ids.isEmpty()).get(0);
            List<String> steps = state.queryForList("SELECT step FROM batch_step WHERE run_id = ? ORDER BY started_at",
                    String.class, scheduled);
            // dim_date first; its two dependants depend on each other not, and may be built side by side.
            assertThat(steps).first().isEqualTo("gold.dim_date");
            assertThat(steps).containsExactlyInAnyOrder("gold.dim_date", "gold.fact_rental_monthly",
                    "gold.report_rentals");

            // One scheduler instance of the cluster checked in; both triggers live in the shared job store.
            assertThat(state.queryForObject("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = ?",
                    Long.class, BatchScheduleConfig.SCHEDULER)).isGreaterThanOrEqualTo(1L);
            assertThat(state.queryForList("SELECT trigger_name FROM qrtz_cron_triggers WHERE sched_name = ?",
                    String.class, BatchScheduleConfig.SCHEDULER)).containsExactlyInAnyOrder("daily", "dim-date");
            assertThat(quartz.isClustered()).isTrue();
        } finally {
            // The job store outlives this context: leave no test trigger behind.
            quartz.getScheduler().clear();
        }
    }
}
