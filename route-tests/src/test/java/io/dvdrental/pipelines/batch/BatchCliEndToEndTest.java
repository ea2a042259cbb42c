package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.cli.BatchCli;
import io.dvdrental.pipelines.cli.Terminal;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.steps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./dvd batch} (the cli module) against the whole server on the real services, on a small generated source:
 * a run followed to its end, a failed run's step and reason, a run in progress named with how to follow it, the list
 * of runs; and the run answer's step total the follower counts towards.
 */
@RealServicesTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchCliEndToEndTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    ConnectionProperties connections;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Autowired
    @Qualifier("sourceJdbcTemplate")
    NamedParameterJdbcTemplate source;
    @Autowired
    ModelGraph graph;
    @Autowired
    SourceTables tables;
    @LocalServerPort
    int port;
    @TempDir
    static Path dir;

    private static boolean seeded;
    private static final List<String> fullRuns = new ArrayList<>();

    /** What one CLI command printed and answered. */
    record Outcome(int exitCode, String out, String err) {
    }

    @BeforeEach
    void seedSmallSourceOnce() throws Exception {
        if (!seeded) {
            BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
            SourceSchema.migrate(sourceDataSource);
            SourceSeeder.seed(sourceDataSource, new SeedPlan(11, 0.05), SourceSeeder.WhenNotEmpty.REPLACE);
            seeded = true;
        }
    }

    private Outcome cli(String... args) throws Exception {
        Path password = Files.writeString(dir.resolve("operator.password"), TestServices.ADMIN_PASSWORD + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err),
                new BufferedReader(new StringReader("")), false, 120);
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + port, "--user", TestServices.ADMIN_USER,
                "--password-file", password.toString()));
        int code = BatchCli.execute(terminal, all.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    private long sourceRows() {
        return tables.names().stream().mapToLong(t -> source.getJdbcTemplate()
                .queryForObject("SELECT count(*) FROM public." + t, Long.class)).sum();
    }

    @Test
    @Order(1)
    void aFullRunIsFollowedStepByStepToItsEndAndExitsZero() throws Exception {
        Outcome full = cli("run", "full");

        assertThat(full.exitCode()).as("exit code; printed:%n%s%s", full.out(), full.err()).isZero();
        int total = 15 + 1 + graph.order().size() + 1 + 1;
        List<String> lines = full.out().lines().toList();
        assertThat(lines.get(0)).matches("Batch run \\S+ \\(full\\): " + total + " steps");
        assertThat(lines.stream().filter(l -> l.startsWith("[")).toList()).as("one line per step").hasSize(total)
                .last().asString().startsWith("[" + total + "/" + total + "] ");
        assertThat(lines.get(lines.size() - 1)).matches("Batch run (\\S+) SUCCEEDED in \\d+:\\d\\d: " + total + "/"
                + total + " steps, " + String.format("%,d", sourceRows()) + " rows extracted\\.");
        fullRuns.add(lines.get(0).split(" ")[2]);
    }

    @Test
    @Order(2)
    void theRunAnswerTellsHowManyStepsTheRunHas() {
        Map<String, Object> full = runAndWait(http, Map.of("mode", "full"));
        assertThat(full.get("state")).as("run error: %s", full.get("error")).isEqualTo("SUCCEEDED");
        // 15 extracts, quarantine, every model, quality, the dim_film export
        assertThat(full.get("stepsTotal")).isEqualTo(15 + 1 + graph.order().size() + 1 + 1)
                .isEqualTo(steps(full).size());
        fullRuns.add((String) full.get("run_id"));

        Map<String, Object> dimDate = runAndWait(http, Map.of("scope", "dim_date"));
        assertThat(dimDate.get("state")).as("run error: %s", dimDate.get("error")).isEqualTo("SUCCEEDED");
        assertThat(dimDate.get("stepsTotal")).isEqualTo(graph.withDownstream(List.of("gold.dim_date")).size())
                .isEqualTo(steps(dimDate).size());
    }

    @Test
    @Order(3)
    void aFailedRunExitsNonZeroNamingTheFailedStepAndItsReason() throws Exception {
        JdbcTemplate src = source.getJdbcTemplate();
        src.execute("ALTER TABLE public.inventory RENAME TO inventory_hidden");
        Outcome failed;
        try {
            failed = cli("run", "incremental", "--tables", "inventory,film");
        } finally {
            src.execute("ALTER TABLE public.inventory_hidden RENAME TO inventory");
        }

        assertThat(failed.exitCode()).as("exit code; printed:%n%s%s", failed.out(), failed.err()).isEqualTo(1);
        assertThat(failed.out()).containsPattern("Batch run \\S+ FAILED after \\d+:\\d\\d: ")
                .containsPattern("(?m)^  failed extract:inventory: .*inventory.* does not exist")
                .containsPattern("(?m)^  skipped \\d+ steps?: .*silver\\.dvd_inventory \\(upstream bronze\\.inventory failed\\)");
        assertThat(failed.out()).as("the steps that ran before the failure are listed")
                .containsPattern("(?m)^\\[ *\\d+/\\d+\\] extract:film +SUCCEEDED");
    }

    @Test
    @Order(4)
    void aRunInProgressIsNamedWithTheCommandThatFollowsIt() throws Exception {
        // The state database outlives a test run: a new id each time.
        String running = "cli-held-" + System.currentTimeMillis();
        // Held as a live run holds itself: without the lock, the next start would abandon the row.
        try (RunHold hold = RunHold.tryAcquire(connections.state(), running).orElseThrow()) {
            state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, tables, state) "
                    + "VALUES (?, 'test', 'FULL', 'ALL', 'rental', 'RUNNING')", running);
            Outcome refused = cli("run", "full");

            assertThat(refused.exitCode()).isEqualTo(3);
            assertThat(refused.err()).contains("Batch run " + running + " is in progress (full, started ")
                    .contains("Follow it: ./dvd batch follow " + running);

            state.update("UPDATE batch_run SET state = 'SUCCEEDED', finished_at = clock_timestamp() WHERE run_id = ?",
                    running);
            Outcome followed = cli("follow", running);
            assertThat(followed.exitCode()).isZero();
            assertThat(followed.out()).contains("Batch run " + running + " SUCCEEDED in ");
        } finally {
            state.update("UPDATE batch_run SET state = 'ABANDONED' WHERE run_id = ? AND state = 'RUNNING'", running);
        }
    }

    @Test
    @Order(5)
    void runsListsTheLatestRunsNewestFirst() throws Exception {
        Outcome listed = cli("runs", "--limit", "20");

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        List<String> lines = listed.out().lines().toList();
        assertThat(lines.get(0)).matches("id +mode +state +started +duration +rows");
        String rows = String.format("%,d", sourceRows());
        for (String id : fullRuns) {
            assertThat(lines).anyMatch(l -> l.matches(id + " +full +SUCCEEDED +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+:\\d\\d +"
                    + rows));
        }
        assertThat(lines.get(1)).as("newest first").startsWith("cli-held-");
        assertThat(cli("follow", "no-such-run").err()).contains("There is no batch run no-such-run on http://127.0.0.1:"
                + port);
    }
}
