package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dvdrental.pipelines.batch.BatchRun;
import io.dvdrental.pipelines.batch.ReferenceExporter;
import io.dvdrental.pipelines.stream.ClickDeadLetterRoute;
import io.dvdrental.pipelines.stream.ClickIngestRoute;
import io.dvdrental.pipelines.stream.ClickReferenceRefreshRoute;
import io.dvdrental.pipelines.transforms.batch.Model;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lineage of both pipelines as nodes with their upstreams and their last known state, for the pipelines page.
 * Batch: source tables, bronze (each filled by its extract step), the silver and gold models from their declared
 * upstreams, and the dashboards' questions. Stream: the click topic, the routes, the raw table, the views, the
 * dead-letter topic, and the dim_film reference the batch exports. Plain Java: the figures are read elsewhere.
 */
public final class PipelineGraph {

    public static final String BATCH = "batch";
    public static final String STREAM = "stream";

    /** The aggregates the click table's materialized views write (migration V201), read by the stream questions. */
    static final List<String> STREAM_VIEWS = List.of("stream.clicks_per_minute", "stream.users_per_minute",
            "stream.device_event_per_minute", "stream.event_funnel_per_minute");
    static final String CLICKS_TABLE = "stream.dvd_clicks";
    static final String REFERENCE_TABLE = "stream.film_reference";

    /** How a node looks: what a reader must notice first. */
    public enum Health {
        /** Last run succeeded (or found nothing to change); the route runs; the table holds rows. */
        OK,
        RUNNING,
        FAILED,
        /** Skipped because something upstream failed or was skipped. */
        BLOCKED,
        /** Works, but holds something to look at (dead letters) or could not be read. */
        WARNING,
        /** Never ran, or holds no rows yet. */
        IDLE
    }

    /**
     * One node. Figures that do not apply to its kind are left out of the JSON.
     *
     * @param upstreams     ids of the nodes it reads from (a node of the other pipeline can be one)
     * @param state         the last step's state (batch), the route's status, or null
     * @param rows          rows in its table now (messages for a topic)
     * @param durationMs    how long its last step took
     * @param finishedAt    when its last step ended
     * @param lastWrittenAt when its table was last written (ClickHouse parts), or its reference data loaded
     * @param lag           messages not yet consumed (the click topic)
     * @param runId         the batch run of its last step
     * @param blockedBy     for a blocked node: the upstream that failed or was blocked
     * @param error         the last step's error; only for callers allowed to read errors
     * @param link          a page that shows it (a question's dashboard)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String label, String pipeline, String layer, String kind, List<String> upstreams,
                       String state, Health health, Long rows, Long durationMs, Instant finishedAt,
                       Instant lastWrittenAt, Long lag, String runId, String blockedBy, String error, String link) {

        Node withoutError() {
            return new Node(id, label, pipeline, layer, kind, upstreams, state, health, rows, durationMs, finishedAt,
                    lastWrittenAt, lag, runId, blockedBy, null, link);
        }

        Node blockedBy(String upstream) {
            return new Node(id, label, pipeline, layer, kind, upstreams, state, health, rows, durationMs, finishedAt,
                    lastWrittenAt, lag, runId, upstream, error, link);
        }
    }

    /** The newest record of one batch step, whatever run it was in. */
    public record StepRun(String step, String runId, String state, Instant finishedAt, Long durationMs,
                          String error) {
    }

    /** A warehouse table now: its rows and when a part of it was last written. */
    public record TableFigures(long rows, Instant lastWrittenAt) {
    }

    /** What the stream's figures say now; a null figure could not be read. */
    public record StreamFigures(String topic, String dlqTopic, Long lag, Long dlqCount, Map<String, String> routes,
                                ReferenceDataStatusSource.ReferenceData reference) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, StepRun> steps;
    private final Map<String, TableFigures> tables;

    private PipelineGraph(Map<String, StepRun> steps, Map<String, TableFigures> tables) {
        this.steps = steps;
        this.tables = tables;
    }

    /** Every node, upstreams before their dependants within each pipeline; errors only when asked for. */
    public static List<Node> nodes(ModelGraph models, SourceTables sources, List<DashboardQuestion> questions,
                                   Map<String, StepRun> steps, Map<String, TableFigures> tables,
                                   StreamFigures stream, boolean withErrors) {
        PipelineGraph graph = new PipelineGraph(steps, tables);
        graph.batch(models, sources);
        graph.stream(stream);
        graph.questions(questions);
        return graph.nodes.values().stream().map(n -> withErrors ? n : n.withoutError()).toList();
    }

    private void batch(ModelGraph models, SourceTables sources) {
        for (SourceTable table : sources.tables()) {
            add(new Node("source." + table.name(), "public." + table.name(), BATCH, "source", "source table",
                    List.of(), null, null, null, null, null, null, null, null, null, null, null));
        }
        for (SourceTable table : sources.tables()) {
            step(table.bronzeTable(), BATCH, "bronze", "extract", List.of("source." + table.name()),
                    BatchRun.extractStep(table.name()), table.bronzeTable());
        }
        for (String name : models.order()) {
            Model model = models.model(name);
            step(name, BATCH, model.database(), model.materialized() == Model.Materialized.VIEW ? "view" : "model",
                    model.dependsOn(), name, name);
        }
    }

    private void stream(StreamFigures stream) {
        String topic = "topic:" + stream.topic();
        add(new Node(topic, stream.topic(), STREAM, "input", "Kafka topic", List.of(), null,
                stream.lag() == null ? Health.WARNING : Health.OK, null, null, null, null, stream.lag(), null, null,
                null, null));
        step(ReferenceExporter.NODE, STREAM, "input", "S3 export", List.of(ReferenceExporter.MODEL),
                ReferenceExporter.STEP, null);
        ReferenceDataStatusSource.ReferenceData reference = stream.reference();
        route(ClickReferenceRefreshRoute.ROUTE_ID, List.of(ReferenceExporter.NODE), stream,
                reference == null ? null : reference.loadedAt());
        route(ClickIngestRoute.ROUTE_ID, List.of(topic, "route:" + ClickReferenceRefreshRoute.ROUTE_ID), stream,
                null);
        route(ClickDeadLetterRoute.ROUTE_ID, List.of("route:" + ClickIngestRoute.ROUTE_ID), stream, null);
        table(CLICKS_TABLE, "raw", List.of("route:" + ClickIngestRoute.ROUTE_ID));
        table(REFERENCE_TABLE, "raw", List.of("route:" + ClickReferenceRefreshRoute.ROUTE_ID));
        Long dead = stream.dlqCount();
        add(new Node("topic:" + stream.dlqTopic(), stream.dlqTopic(), STREAM, "raw", "dead-letter topic",
                List.of("route:" + ClickDeadLetterRoute.ROUTE_ID), null,
                dead == null || dead > 0 ? Health.WARNING : Health.OK, dead, null, null, null, null, null, null,
                null, null));
        for (String view : STREAM_VIEWS) {
            table(view, "views", List.of(CLICKS_TABLE));
        }
    }

    private void questions(List<DashboardQuestion> questions) {
        for (DashboardQuestion q : questions) {
            for (String read : q.reads()) {
                if (!nodes.containsKey(read)) {
                    throw new IllegalArgumentException("Question " + q.id() + " reads " + read
                            + ", which is not a node of the pipelines");
                }
            }
            String pipeline = q.id().substring(0, q.id().indexOf('/'));
            // An answer read from a table whose last build failed is no longer refreshed.
            String blockedBy = firstBroken(q.reads());
            add(new Node("question:" + q.id(), q.title(), pipeline, "questions", "question", q.reads(), null,
                    blockedBy == null ? null : Health.BLOCKED, null, null, null, null, null, null, blockedBy, null,
                    q.dashboard()));
        }
    }

    /** A node built by a batch step: its state is the step's newest record. */
    private void step(String id, String pipeline, String layer, String kind, List<String> upstreams, String step,
                      String table) {
        StepRun run = steps.get(step);
        TableFigures figures = table == null ? null : tables.get(table);
        Health health = run == null ? Health.IDLE : switch (run.state()) {
            case "SUCCEEDED", "UNCHANGED" -> Health.OK;
            case "RUNNING" -> Health.RUNNING;
            case "SKIPPED" -> Health.BLOCKED;
            default -> Health.FAILED;
        };
        Node built = new Node(id, id, pipeline, layer, kind, upstreams, run == null ? null : run.state(), health,
                figures == null ? null : figures.rows(), run == null ? null : run.durationMs(),
                run == null ? null : run.finishedAt(), figures == null ? null : figures.lastWrittenAt(), null,
                run == null ? null : run.runId(), null, run == null ? null : run.error(), null);
        add(health == Health.BLOCKED ? built.blockedBy(firstBroken(upstreams)) : built);
    }

    /** The first of these nodes that failed or was blocked, or null. */
    private String firstBroken(List<String> ids) {
        return ids.stream().map(nodes::get)
                .filter(u -> u != null && (u.health() == Health.FAILED || u.health() == Health.BLOCKED))
                .map(Node::id).findFirst().orElse(null);
    }

    private void route(String routeId, List<String> upstreams, StreamFigures stream, Instant lastWrittenAt) {
        String status = stream.routes().get(routeId);
        Health health = status == null ? Health.IDLE : "Started".equals(status) ? Health.OK : Health.FAILED;
        add(new Node("route:" + routeId, routeId, STREAM, "ingest", "Camel route", upstreams,
                status == null ? "absent" : status, health, null, null, null, lastWrittenAt, null, null, null,
                null, null));
    }

    private void table(String table, String layer, List<String> upstreams) {
        TableFigures figures = tables.get(table);
        boolean filled = figures != null && figures.rows() > 0;
        add(new Node(table, table, STREAM, layer, "table", upstreams, null, filled ? Health.OK : Health.IDLE,
                figures == null ? null : figures.rows(), null, null, figures == null ? null : figures.lastWrittenAt(),
                null, null, null, null, null));
    }

    private void add(Node node) {
        if (nodes.put(node.id(), node) != null) {
            throw new IllegalStateException("Two nodes are named " + node.id());
        }
    }
}
