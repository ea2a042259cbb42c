package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.batch.Model;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model is rebuilt when its own SQL changed (a new release edited the file), not only when an upstream changed;
 * and a full run rebuilds every model. On the generated source.
 */
@RealServicesTest
class ModelRebuildTest {

    private static final String FILM = "gold.dim_film";

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
    ModelGraph graph;
    @Autowired
    SourceTables tables;
    @Autowired
    Warehouse warehouse;
    @Autowired
    RunLog runLog;
    @Autowired
    StepRecorder steps;
    @Autowired
    BatchProperties properties;

    @Test
    void anEditedModelIsRebuiltAndSoIsTheReleasedOneAfterIt() throws Exception {
        JdbcTemplate ch = warehouseTemplate.getJdbcTemplate();
        BatchTestSupport.resetWarehouseAndState(ch, state);
        BatchTestSupport.seedGenerated(sourceDataSource, 21, 0.1);
        assertThat(runAndWait(http, Map.of("mode", "full")).get("state")).isEqualTo("SUCCEEDED");

        // The next release edits gold.dim_film (titles in lower case); nothing changed at the source.
        assertThat(ch.queryForObject("SELECT countIf(title != lower(title)) FROM " + FILM, Long.class)).isPositive();
        Model released = graph.model(FILM);
        Model edited = released.withSelect(released.select().replace("f.title AS title", "lower(f.title) AS title"));
        assertThat(edited.select()).isNotEqualTo(released.select());
        ModelGraph release = withModel(edited);
        runModels(release, release.withDownstream(List.of(FILM)));
        assertThat(ch.queryForObject("SELECT countIf(title != lower(title)) FROM " + FILM, Long.class))
                .as("titles not in lower case after the edited model ran").isZero();
        assertThat(ch.queryForObject("SELECT countIf(film_title != lower(film_title)) FROM gold.report_rentals",
                Long.class)).as("its dependants were rebuilt with it").isZero();

        // Back to the released SQL: rebuilt again, by an ordinary incremental run.
        Map<String, Object> back = runAndWait(http, Map.of());
        assertThat(back.get("state")).as("run error: %s", back.get("error")).isEqualTo("SUCCEEDED");
        assertThat(step(back, FILM)).containsEntry("state", "SUCCEEDED");
        assertThat(ch.queryForObject("SELECT countIf(title = lower(title)) FROM " + FILM, Long.class)).isZero();
        assertThat(step(back, "gold.report_rentals")).containsEntry("state", "SUCCEEDED");
        assertThat(ch.queryForObject("SELECT countIf(film_title = lower(film_title)) FROM gold.report_rentals",
                Long.class)).isZero();
    }

    @Test
    void aFullRunRebuildsEveryModelEvenWhenItsUpstreamsDidNotChange() throws Exception {
        JdbcTemplate ch = warehouseTemplate.getJdbcTemplate();
        BatchTestSupport.resetWarehouseAndState(ch, state);
        BatchTestSupport.seedGenerated(sourceDataSource, 22, 0.1);
        assertThat(runAndWait(http, Map.of("mode", "full")).get("state")).isEqualTo("SUCCEEDED");
        String title = ch.queryForObject("SELECT title FROM " + FILM + " WHERE film_id = 1", String.class);
        // A table that no longer matches its model (edited by hand, or built by an older release).
        ch.execute("ALTER TABLE " + FILM + " UPDATE title = 'edited by hand' WHERE film_id = 1 "
                + "SETTINGS mutations_sync = 2");

        // Only country is extracted: no upstream of dim_film changes, yet a full run rebuilds it.
        Map<String, Object> full = runAndWait(http, Map.of("mode", "full", "tables", List.of("country")));
        assertThat(full.get("state")).as("run error: %s", full.get("error")).isEqualTo("SUCCEEDED");
        assertThat(step(full, FILM)).containsEntry("state", "SUCCEEDED");
        assertThat(ch.queryForObject("SELECT title FROM " + FILM + " WHERE film_id = 1", String.class))
                .isEqualTo(title);
    }

    private ModelGraph withModel(Model replacement) {
        return new ModelGraph(graph.order().stream().map(graph::model)
                .map(m -> m.name().equals(replacement.name()) ? replacement : m).toList(),
                tables.tables().stream().map(SourceTable::bronzeTable).toList());
    }

    /** Runs models of another graph (another release's SQL) as a run of this server. */
    private void runModels(ModelGraph release, List<String> models) {
        BatchRun run = runLog.start(new BatchRun.Request("test", BatchRun.Mode.INCREMENTAL, BatchRun.Scope.ALL,
                List.of(), null, null));
        try {
            new ModelRunner(release, tables, warehouse, runLog, steps, properties).run(run, models);
            assertThat(run.step(FILM)).contains(BatchRun.StepState.SUCCEEDED);
        } finally {
            runLog.finish(run, null);
        }
    }
}
