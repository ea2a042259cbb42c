package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.insights.PipelineGraph.Health;
import io.dvdrental.pipelines.insights.PipelineGraph.Node;
import io.dvdrental.pipelines.insights.PipelineGraph.StepRun;
import io.dvdrental.pipelines.insights.PipelineGraph.StreamFigures;
import io.dvdrental.pipelines.insights.PipelineGraph.TableFigures;
import io.dvdrental.pipelines.transforms.batch.Model;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineGraphTest {

    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
    private static final SourceTables SOURCES = SourceTables.load();

    /** Two silver models on bronze.film, a gold model on both, and the report every batch question reads. */
    private static final ModelGraph MODELS = new ModelGraph(List.of(
            model("silver", "dvd_film", "bronze.film"),
            model("silver", "dvd_category", "bronze.category"),
            model("gold", "dim_film", "silver.dvd_film, silver.dvd_category"),
            model("gold", "report_rentals", "gold.dim_film")), SOURCES.tables().stream()
            .map(t -> t.bronzeTable()).toList());

    private static final StreamFigures STREAM = new StreamFigures("dvd_clicks", "dvd_clicks.dlq", 12L, 0L,
            Map.of("clicks-ingest", "Started", "clicks-reference-refresh", "Started", "clicks-dead-letter",
                    "Stopped"), new ReferenceDataStatusSource.ReferenceData("v1", NOON));

    private static Model model(String layer, String name, String upstreams) {
        return Model.parse("models/" + layer + "/" + name + ".sql", "-- depends_on: " + upstreams + "\nSELECT 1");
    }

    private static Map<String, Node> nodes(Map<String, StepRun> steps, boolean withErrors) {
        return PipelineGraph.nodes(MODELS, SOURCES, DashboardQuestion.ALL, steps,
                        Map.of("silver.dvd_film", new TableFigures(1000, NOON),
                                "stream.dvd_clicks", new TableFigures(50, NOON)), STREAM, withErrors).stream()
                .collect(Collectors.toMap(Node::id, Function.identity()));
    }

    private static StepRun step(String step, String state, String error) {
        return new StepRun(step, "run-1", state, NOON, 1500L, error);
    }

    @Test
    void everyModelIsANodeWithItsDeclaredUpstreamsAndEveryBronzeTableReadsItsSourceTable() {
        Map<String, Node> nodes = nodes(Map.of(), false);

        assertThat(nodes).containsKeys(MODELS.order().toArray(String[]::new));
        MODELS.order().forEach(m -> assertThat(nodes.get(m).upstreams()).isEqualTo(MODELS.model(m).dependsOn()));
        SOURCES.tables().forEach(t -> {
            assertThat(nodes.get(t.bronzeTable()).upstreams()).containsExactly("source." + t.name());
            assertThat(nodes).containsKey("source." + t.name());
        });
        assertThat(nodes.get("gold.dim_film").layer()).isEqualTo("gold");
        // Nothing ran yet: idle, with no figures of a run.
        assertThat(nodes.get("gold.dim_film").health()).isEqualTo(Health.IDLE);
        assertThat(nodes.get("gold.dim_film").runId()).isNull();
        assertThat(nodes.get("silver.dvd_film").rows()).isEqualTo(1000);
    }

    @Test
    void eachQuestionIsANodeReadingItsTablesAndLinkingItsDashboard() {
        Map<String, Node> nodes = nodes(Map.of(), false);

        Node topFilms = nodes.get("question:batch/top-films");
        assertThat(topFilms.upstreams()).containsExactly("gold.report_rentals");
        assertThat(topFilms.pipeline()).isEqualTo(PipelineGraph.BATCH);
        assertThat(topFilms.link()).isEqualTo("/dashboards/batch.html");
        assertThat(nodes.get("question:stream/trending-films").upstreams())
                .containsExactly("stream.clicks_per_minute", "stream.film_reference");
        DashboardQuestion.ALL.forEach(q -> assertThat(nodes).containsKey("question:" + q.id()));
    }

    @Test
    void aQuestionOnATableThatIsNoNodeIsRefused() {
        List<DashboardQuestion> questions = List.of(new DashboardQuestion("batch/nothing", "?", "/", List.of(
                "gold.no_such_table")));
        assertThatThrownBy(() -> PipelineGraph.nodes(MODELS, SOURCES, questions, Map.of(), Map.of(), STREAM, false))
                .hasMessageContaining("gold.no_such_table");
    }

    @Test
    void aFailedStepFailsItsNodeAndWhatItSkippedIsBlockedByIt() {
        Map<String, StepRun> steps = Map.of(
                "extract:film", step("extract:film", "SUCCEEDED", null),
                "silver.dvd_film", step("silver.dvd_film", "FAILED", "Code: 60. Table bronze.film does not exist"),
                "silver.dvd_category", step("silver.dvd_category", "UNCHANGED", null),
                "gold.dim_film", step("gold.dim_film", "SKIPPED", "upstream silver.dvd_film failed"),
                "gold.report_rentals", step("gold.report_rentals", "SKIPPED", "upstream gold.dim_film skipped"));

        Map<String, Node> operator = nodes(steps, true);
        assertThat(operator.get("bronze.film").health()).isEqualTo(Health.OK);
        assertThat(operator.get("silver.dvd_category").health()).isEqualTo(Health.OK);
        Node failed = operator.get("silver.dvd_film");
        assertThat(failed.health()).isEqualTo(Health.FAILED);
        assertThat(failed.error()).contains("does not exist");
        assertThat(failed.runId()).isEqualTo("run-1");
        assertThat(failed.durationMs()).isEqualTo(1500);
        assertThat(operator.get("gold.dim_film").health()).isEqualTo(Health.BLOCKED);
        assertThat(operator.get("gold.dim_film").blockedBy()).isEqualTo("silver.dvd_film");
        assertThat(operator.get("gold.report_rentals").blockedBy()).isEqualTo("gold.dim_film");
        // The dashboards' questions on it are no longer refreshed.
        assertThat(operator.get("question:batch/top-films").health()).isEqualTo(Health.BLOCKED);
        assertThat(operator.get("question:batch/top-films").blockedBy()).isEqualTo("gold.report_rentals");
        assertThat(operator.get("question:stream/clicks-per-minute").health()).isNull();

        // Anyone else sees the same states, without the texts.
        Map<String, Node> anyone = nodes(steps, false);
        assertThat(anyone.get("silver.dvd_film").health()).isEqualTo(Health.FAILED);
        assertThat(anyone.values()).allSatisfy(n -> assertThat(n.error()).isNull());
    }

    @Test
    void theStreamPathRunsFromTheTopicThroughTheRoutesToTheViewsAndTheDeadLetters() {
        Map<String, Node> nodes = nodes(Map.of(), false);

        assertThat(nodes.get("topic:dvd_clicks").lag()).isEqualTo(12);
        assertThat(nodes.get("route:clicks-ingest").upstreams())
                .containsExactly("topic:dvd_clicks", "route:clicks-reference-refresh");
        assertThat(nodes.get("route:clicks-ingest").health()).isEqualTo(Health.OK);
        assertThat(nodes.get("route:clicks-reference-refresh").lastWrittenAt()).isEqualTo(NOON);
        assertThat(nodes.get("route:clicks-reference-refresh").upstreams()).containsExactly("s3.dim_film");
        assertThat(nodes.get("s3.dim_film").upstreams()).containsExactly("gold.dim_film");
        // A stopped route stands out.
        assertThat(nodes.get("route:clicks-dead-letter").health()).isEqualTo(Health.FAILED);
        assertThat(nodes.get("stream.dvd_clicks").rows()).isEqualTo(50);
        assertThat(nodes.get("stream.dvd_clicks").health()).isEqualTo(Health.OK);
        PipelineGraph.STREAM_VIEWS.forEach(v -> assertThat(nodes.get(v).upstreams()).containsExactly("stream.dvd_clicks"));
        assertThat(nodes.get("topic:dvd_clicks.dlq").upstreams()).containsExactly("route:clicks-dead-letter");
        assertThat(nodes.get("topic:dvd_clicks.dlq").health()).isEqualTo(Health.OK);
    }

    @Test
    void deadLettersOrFiguresThatCannotBeReadAreAWarning() {
        StreamFigures unread = new StreamFigures("dvd_clicks", "dvd_clicks.dlq", null, 3L, Map.of(), null);
        Map<String, Node> nodes = PipelineGraph.nodes(MODELS, SOURCES, DashboardQuestion.ALL, Map.of(), Map.of(),
                unread, false).stream().collect(Collectors.toMap(Node::id, Function.identity()));
        assertThat(nodes.get("topic:dvd_clicks").health()).isEqualTo(Health.WARNING);
        assertThat(nodes.get("topic:dvd_clicks.dlq").health()).isEqualTo(Health.WARNING);
        assertThat(nodes.get("topic:dvd_clicks.dlq").rows()).isEqualTo(3);
        assertThat(nodes.get("route:clicks-ingest").state()).isEqualTo("absent");
    }
}
