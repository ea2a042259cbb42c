package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.support.Browser;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh install before its first batch run: gold has no report yet. The API and the batch dashboard say so and name
 * the command that starts a run, instead of blaming a warehouse that is up; a warehouse that fails still reads as one.
 * The batch page shows the last run from the run log.
 */
@RealServicesTest
class NoBatchRunYetTest {

    private static final List<String> CHARTS = List.of("top-films", "top-categories", "rentals-by-weekday",
            "rentals-by-country", "avg-duration-by-country");

    @LocalServerPort
    int port;

    @Autowired
    TestRestTemplate http;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Autowired
    JdbcTemplate state;

    final ObjectMapper json = new ObjectMapper();
    final String runId = "no-gold-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void noReportInGold() {
        warehouse.getJdbcTemplate().execute("DROP TABLE IF EXISTS gold.report_rentals");
    }

    @AfterEach
    void forgetRun() {
        warehouse.getJdbcTemplate().execute("DROP TABLE IF EXISTS gold.report_rentals");
        state.update("DELETE FROM batch_step WHERE run_id = ?", runId);
        state.update("DELETE FROM batch_run WHERE run_id = ?", runId);
    }

    private JsonNode answer(String path, int status) throws Exception {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode().value()).as(path + " -> " + response.getBody()).isEqualTo(status);
        return json.readTree(response.getBody());
    }

    @Test
    void apiSaysNoBatchRunYetWithTheCommandThatStartsOne() throws Exception {
        for (String path : List.of("/api/insights/batch/top-films", "/api/insights/batch/top-categories",
                "/api/insights/batch/rentals-by-weekday", "/api/insights/batch/rentals-by-country",
                "/api/insights/batch/avg-rental-duration-by-country", "/api/insights/batch/freshness")) {
            JsonNode body = answer(path, 404);
            assertThat(body.get("reason").asText()).as(path).isEqualTo("no-batch-run");
            assertThat(body.get("error").asText()).as(path)
                    .contains("no batch run", "./dvd batch run full").doesNotContain("warehouse could not answer");
        }
        // The stream's tables come from the migrations: the live answers do not wait for a batch run.
        assertThat(answer("/api/insights/stream/event-funnel", 200).isArray()).isTrue();
    }

    @Test
    void aReportTheWarehouseCannotReadIsStillTheWarehousesFault() throws Exception {
        warehouse.getJdbcTemplate().execute("CREATE TABLE gold.report_rentals (unexpected Int32) ENGINE = Memory");

        JsonNode body = answer("/api/insights/batch/top-films", 503);
        assertThat(body.get("reason").asText()).isEqualTo("warehouse-unavailable");
        assertThat(body.get("error").asText()).contains("warehouse could not answer").doesNotContain("batch run");
    }

    @Test
    void batchDashboardSaysNoBatchRunYetOnEveryChartAndShowsTheLastRun() {
        // The last run in the run log: 65 s long, two tables extracted, no report built (it failed in silver).
        state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, state, error, started_at, finished_at) "
                + "VALUES (?, 'test', 'FULL', 'ALL', 'FAILED', 'silver.dvd_rental failed', "
                + "clock_timestamp() + interval '1 hour', clock_timestamp() + interval '1 hour 65 seconds')", runId);
        state.update("INSERT INTO batch_step (run_id, step, kind, state, rows_read, rows_written) VALUES "
                + "(?, 'extract:film', 'extract', 'SUCCEEDED', 1000, 1000), "
                + "(?, 'extract:rental', 'extract', 'SUCCEEDED', 16044, 16044), "
                + "(?, 'silver.dvd_rental', 'model', 'FAILED', 0, 0)", runId, runId, runId);

        try (Browser browser = Browser.open()) {
            browser.get("http://localhost:" + port + "/dashboards/batch.html");
            browser.await(Duration.ofSeconds(30), "batch dashboard loaded",
                    d -> "true".equals(browser.find("body").getDomAttribute("data-loaded")));

            assertThat(browser.find("#freshness").getText())
                    .contains("No batch run yet", "./dvd batch run full").doesNotContain("warehouse");
            for (String chart : CHARTS) {
                assertThat(browser.find("#" + chart).getDomAttribute("data-error")).as(chart).isNullOrEmpty();
                assertThat(browser.find("#" + chart).getText()).as(chart)
                        .contains("No batch run yet").doesNotContain("Could not load");
            }
            String lastRun = browser.find("#last-run").getText();
            assertThat(lastRun).contains("Last batch run", "FAILED", "took 1 min 5 s", "17,044 rows extracted");
            browser.screenshot("batch-dashboard-no-batch-run");
        }
    }
}
