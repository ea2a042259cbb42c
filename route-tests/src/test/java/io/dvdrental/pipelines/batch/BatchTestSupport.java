package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.support.TestServices;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shared steps of the batch tests: a clean warehouse and state, runs over HTTP, and waiting for their end. */
public final class BatchTestSupport {

    private BatchTestSupport() {
    }

    /** Empties bronze, drops every model table, forgets watermarks and node states: the next run starts from zero. */
    public static void resetWarehouseAndState(JdbcTemplate warehouse, JdbcTemplate state) {
        for (String table : warehouse.queryForList("SELECT name FROM system.tables WHERE database = 'bronze'", String.class)) {
            warehouse.execute("TRUNCATE TABLE bronze." + table);
        }
        for (Map<String, Object> t : warehouse.queryForList("SELECT database, name, engine FROM system.tables "
                + "WHERE database IN ('silver', 'gold') AND name NOT IN ('quarantine', 'batch_freshness')")) {
            warehouse.execute("DROP " + ("View".equals(String.valueOf(t.get("engine"))) ? "VIEW" : "TABLE")
                    + " IF EXISTS " + t.get("database") + "." + t.get("name"));
        }
        warehouse.execute("TRUNCATE TABLE silver.quarantine");
        state.update("UPDATE batch_run SET state = 'ABANDONED', error = 'test reset' WHERE state = 'RUNNING'");
        state.update("TRUNCATE batch_watermark, batch_node_state");
    }

    /** Migrates the generated source database and fills it afresh from the generator (deterministic per seed). */
    public static void seedGenerated(DataSource source, long seed, double scale) throws SQLException {
        SourceSchema.migrate(source);
        SourceSeeder.seed(source, new SeedPlan(seed, scale), SourceSeeder.WhenNotEmpty.REPLACE);
    }

    /** An empty warehouse and run state, the generated source seeded afresh (per seed), and a full run over it. */
    public static void fullRunOnGenerated(TestRestTemplate http, JdbcTemplate warehouse, JdbcTemplate state,
                                          DataSource source, long seed) throws SQLException {
        resetWarehouseAndState(warehouse, state);
        seedGenerated(source, seed, 0.1);
        assertSucceeded(runAndWait(http, Map.of("mode", "full")));
    }

    public static void assertSucceeded(Map<String, Object> run) {
        assertThat(run.get("state")).as("run %s: %s", run.get("run_id"), run.get("error")).isEqualTo("SUCCEEDED");
    }

    static TestRestTemplate operator(TestRestTemplate http) {
        return http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
    }

    /** Starts a run over HTTP and waits for its end; answers the run as GET /api/batch/runs/{id} shows it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> runAndWait(TestRestTemplate http, Object request) {
        ResponseEntity<Map> started = operator(http).postForEntity("/api/batch/runs", request, Map.class);
        assertThat(started.getStatusCode().value()).as("POST /api/batch/runs: %s", started.getBody()).isEqualTo(202);
        String id = (String) started.getBody().get("runId");
        return awaitRun(http, id);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> awaitRun(TestRestTemplate http, String id) {
        return await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> operator(http).getForObject("/api/batch/runs/" + id, Map.class),
                        run -> run != null && !"RUNNING".equals(run.get("state")));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> steps(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("steps");
    }

    public static Map<String, Object> step(Map<String, Object> run, String name) {
        return steps(run).stream().filter(s -> name.equals(s.get("step"))).findFirst()
                .orElseThrow(() -> new AssertionError("run has no step " + name + ": " + steps(run)));
    }
}
