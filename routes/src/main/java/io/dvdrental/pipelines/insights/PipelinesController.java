package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.security.ServerSecurityAutoConfiguration;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/pipelines}: how both pipelines are doing, for operators and the dashboards' status line.
 * A part that cannot be read says so in an {@code error} field instead of failing the whole answer.
 */
@RestController
public class PipelinesController {

    private static final Logger LOG = LoggerFactory.getLogger(PipelinesController.class);

    private final InsightsProperties props;
    private final KafkaPipelineStatus kafka;
    private final ObjectProvider<BatchRunStatusSource> batchRuns;
    private final ObjectProvider<ReferenceDataStatusSource> referenceData;
    private final ObjectProvider<CaptureStatusSource> capture;
    private final InsightsCache cache;
    private final ModelGraph models;
    private final SourceTables sourceTables;
    private final WarehouseTables warehouseTables;
    private final CamelContext camel;
    private final Clock clock = Clock.systemUTC();

    public PipelinesController(InsightsProperties props, KafkaPipelineStatus kafka,
                               ObjectProvider<BatchRunStatusSource> batchRuns,
                               ObjectProvider<ReferenceDataStatusSource> referenceData,
                               ObjectProvider<CaptureStatusSource> capture, InsightsCache cache, ModelGraph models,
                               SourceTables sourceTables, WarehouseTables warehouseTables, CamelContext camel) {
        this.props = props;
        this.kafka = kafka;
        this.batchRuns = batchRuns;
        this.referenceData = referenceData;
        this.capture = capture;
        this.cache = cache;
        this.models = models;
        this.sourceTables = sourceTables;
        this.warehouseTables = warehouseTables;
        this.camel = camel;
    }

    /** What the broker knows, read with several admin calls: kept as one answer ({@link InsightsCache}). */
    private record Offsets(List<KafkaPipelineStatus.PartitionLag> lag, long dlqCount) {

        long totalLag() {
            return lag.stream().mapToLong(KafkaPipelineStatus.PartitionLag::lag).sum();
        }
    }

    /** Step errors can name hosts and carry stack traces: only the operator reads them, anyone else the states. */
    @GetMapping("/api/pipelines")
    public Map<String, Object> pipelines(HttpServletRequest request) {
        boolean withErrors = request.isUserInRole(ServerSecurityAutoConfiguration.OPERATOR);
        Optional<Offsets> offsets = offsets();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch", batch(withErrors));
        answer.put("stream", stream(offsets));
        CaptureStatusSource source = capture.getIfAvailable();
        if (source != null) {
            answer.put("capture", source.captureStatus());
        }
        answer.put("graph", graph(withErrors, offsets));
        return answer;
    }

    /**
     * The lineage of both pipelines with each node's state ({@link PipelineGraph}). A figure that cannot be read is
     * left out and named in {@code errors}; the nodes are drawn all the same.
     */
    private Map<String, Object> graph(boolean withErrors, Optional<Offsets> offsets) {
        List<String> errors = new ArrayList<>();
        BatchRunStatusSource runs = batchRuns.getIfAvailable();
        Map<String, PipelineGraph.StepRun> steps = Map.of();
        try {
            steps = runs == null ? Map.of() : cache.get("pipelines/latest-steps", runs::latestSteps);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the batch steps: {}", e.getMessage());
            errors.add("cannot read the batch run history");
        }
        Map<String, PipelineGraph.TableFigures> tables = Map.of();
        try {
            tables = cache.get("pipelines/warehouse-tables", warehouseTables::figures);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the warehouse's tables: {}", e.getMessage());
            errors.add("cannot read the warehouse's tables");
        }
        if (offsets.isEmpty()) {
            errors.add("cannot read offsets from Kafka");
        }
        Map<String, String> routes = new HashMap<>();
        for (Route route : camel.getRoutes()) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            routes.put(route.getRouteId(), status == null ? null : status.name());
        }
        ReferenceDataStatusSource reference = referenceData.getIfAvailable();
        PipelineGraph.StreamFigures stream = new PipelineGraph.StreamFigures(props.clickTopic(), props.dlqTopic(),
                offsets.map(Offsets::totalLag).orElse(null), offsets.map(Offsets::dlqCount).orElse(null), routes,
                reference == null ? null : reference.current().orElse(null));
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("nodes", PipelineGraph.nodes(models, sourceTables, DashboardQuestion.ALL, steps, tables, stream,
                withErrors));
        graph.put("errors", errors);
        return graph;
    }

    private Map<String, Object> batch(boolean withErrors) {
        Map<String, Object> batch = new LinkedHashMap<>();
        BatchRunStatusSource source = batchRuns.getIfAvailable();
        if (source == null) {
            batch.put("lastRun", null);
            batch.put("error", "no batch run history in this server");
            return batch;
        }
        try {
            Optional<BatchRunStatusSource.Run> lastRun = cache.get("pipelines/batch-last-run", source::lastRun);
            batch.put("lastRun", lastRun.map(run -> withErrors ? run : run.withoutErrors()).orElse(null));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the last batch run: {}", e.getMessage());
            batch.put("lastRun", null);
            batch.put("error", "cannot read the batch run history");
        }
        return batch;
    }

    private Map<String, Object> stream(Optional<Offsets> offsets) {
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("topic", props.clickTopic());
        stream.put("consumerGroup", props.clickConsumerGroup());
        stream.put("dlqTopic", props.dlqTopic());
        offsets.ifPresentOrElse(o -> {
            stream.put("consumerLag", o.lag());
            stream.put("totalLag", o.totalLag());
            stream.put("dlqCount", o.dlqCount());
        }, () -> stream.put("error", "cannot read offsets from Kafka"));
        ReferenceDataStatusSource source = referenceData.getIfAvailable();
        var current = source == null ? null : source.current().orElse(null);
        if (current == null) {
            stream.put("referenceData", null);
        } else {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("version", current.version());
            ref.put("loadedAt", current.loadedAt());
            ref.put("ageSeconds", Duration.between(current.loadedAt(), clock.instant()).toSeconds());
            stream.put("referenceData", ref);
        }
        return stream;
    }

    /** The broker's figures, or empty when Kafka cannot be read. */
    private Optional<Offsets> offsets() {
        try {
            return Optional.of(cache.get("pipelines/stream-offsets", this::readOffsets));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the stream's offsets from Kafka: {}", e.getCause() == null ? e : e.getCause());
            return Optional.empty();
        }
    }

    private Offsets readOffsets() {
        try {
            return new Offsets(kafka.consumerLag(props.clickTopic(), props.clickConsumerGroup()),
                    kafka.messageCount(props.dlqTopic()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
