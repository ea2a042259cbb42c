package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The readers' own ClickHouse pool, on the real warehouse: what the insights API asks runs there, never on the
 * pipelines' pool. A statement that does not end is stopped by ClickHouse after dvd.insights.max-execution-time, a
 * statement that would write is refused, and readers holding every connection of their pool leave the pipelines'
 * pool free.
 */
@RealServicesTest
class InsightsReaderPoolTest {

    /** Counts for ever, slowly (it leaves the CPU to the rest of the suite): only a time limit ends it. */
    private static final String ENDLESS = "SELECT count() FROM system.numbers WHERE NOT ignore(sleepEachRow(0.01)) "
            + "SETTINGS max_block_size = 10";

    @Autowired
    @Qualifier("insightsJdbcTemplate")
    NamedParameterJdbcTemplate readers;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate pipelines;

    @Autowired
    InsightsProperties props;

    @Test
    void theInsightsAnswersComeFromTheReadersPool() {
        assertThat(readers).isNotSameAs(pipelines);
        assertThat(readers.getJdbcTemplate().getDataSource()).isNotSameAs(pipelines.getJdbcTemplate().getDataSource());
    }

    @Test
    void aStatementThatDoesNotEndIsStoppedByTheTimeLimitAndNotRunAgain() throws Exception {
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> catchThrowable(
                () -> readers.queryForObject(ENDLESS, new MapSqlParameterSource(), Long.class)));
        // Each run lasts the whole time limit in system.processes; a client that sends the statement again keeps its
        // query id, so a run starts where the id is new or its elapsed time starts again.
        int runs = 0;
        Map<String, Double> elapsed = new HashMap<>();
        while (!call.isDone()) {
            for (Map<String, Object> process : pipelines.getJdbcTemplate().queryForList(
                    "SELECT query_id, elapsed FROM system.processes WHERE query LIKE ?", ENDLESS + "%")) {
                double now = ((Number) process.get("elapsed")).doubleValue();
                Double before = elapsed.put((String) process.get("query_id"), now);
                if (before == null || now < before) {
                    runs++;
                }
            }
            Thread.sleep(100);
        }

        assertThat(call.get()).isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(messages(e)).containsIgnoringCase("timeout exceeded")
                        .contains("maximum: " + props.maxExecutionTime().toSeconds()));
        assertThat(runs).as("runs of the statement that the time limit stopped").isEqualTo(1);
    }

    @Test
    void aStatementThatWritesIsRefused() {
        assertThatThrownBy(() -> readers.getJdbcTemplate().execute(
                "CREATE TABLE default.readers_may_not_write (x UInt8) ENGINE = Memory"))
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(messages(e)).containsIgnoringCase("readonly"));
        assertThat(pipelines.getJdbcTemplate().queryForObject(
                "SELECT count() FROM system.tables WHERE database = 'default' AND name = 'readers_may_not_write'",
                Long.class)).isZero();
    }

    @Test
    void readersHoldingAllTheirConnectionsLeaveThePipelinesPoolFree() throws Exception {
        ExecutorService crowd = Executors.newFixedThreadPool(props.poolSize());
        try {
            List<CompletableFuture<Object>> busy = new ArrayList<>();
            for (int i = 0; i < props.poolSize(); i++) {
                busy.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return readers.queryForObject(ENDLESS, new MapSqlParameterSource(), Long.class);
                    } catch (DataAccessException stoppedByTheLimit) {
                        return stoppedByTheLimit;
                    }
                }, crowd));
            }
            // Every reader connection is taken once ClickHouse runs that many counts.
            Awaitility.await().atMost(props.maxExecutionTime()).until(() -> pipelines.getJdbcTemplate()
                    .queryForObject("SELECT count() FROM system.processes WHERE query LIKE '" + ENDLESS + "%'",
                            Long.class) >= props.poolSize());

            assertThat(pipelines.getJdbcTemplate().queryForObject("SELECT 42", Long.class)).isEqualTo(42L);
            assertThat(busy).as("the readers' statements still run while the pipelines' pool answered")
                    .noneMatch(CompletableFuture::isDone);
            CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(2 * props.maxExecutionTime().toSeconds()
                    + 30, TimeUnit.SECONDS);
        } finally {
            crowd.shutdownNow();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
