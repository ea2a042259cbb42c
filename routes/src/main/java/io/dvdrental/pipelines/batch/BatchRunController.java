package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTables;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch runs on demand: {@code POST /api/batch/runs} starts one (incremental by default; {@code {"mode":"full"}},
 * {@code {"tables":["rental"]}}, {@code {"mode":"backfill","from":"2005-05-01","to":"2005-06-01"}},
 * {@code {"scope":"dim_date"}}) and answers its id at once; {@code GET /api/batch/runs/{id}} shows every step and
 * {@code stepsTotal}, how many steps the run records when it goes to the end (what a follower counts towards).
 */
@RestController
@RequestMapping("/api/batch/runs")
public class BatchRunController {

    public record RunRequest(String mode, List<String> tables, String from, String to, String scope) {
    }

    private final RunLog runLog;
    private final SourceTables tables;
    private final ProducerTemplate producer;
    private final ModelGraph graph;

    public BatchRunController(RunLog runLog, SourceTables tables, ProducerTemplate producer, ModelGraph graph) {
        this.runLog = runLog;
        this.tables = tables;
        this.producer = producer;
        this.graph = graph;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) RunRequest body) {
        BatchRun.Request request;
        try {
            request = request(body == null ? new RunRequest(null, null, null, null, null) : body);
        } catch (RuntimeException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        BatchRun run;
        try {
            run = runLog.start(request);
        } catch (RunLog.RunInProgressException e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
        }
        DefaultExchange exchange = new DefaultExchange(producer.getCamelContext(), ExchangePattern.InOnly);
        exchange.setProperty(BatchRun.PROPERTY, run);
        producer.send("seda:batch-runs", exchange);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("runId", run.id());
        answer.put("state", "RUNNING");
        answer.put("href", "/api/batch/runs/" + run.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> run(@PathVariable String id) {
        return runLog.run(id).map(run -> {
            Map<String, Object> answer = new LinkedHashMap<>(run);
            answer.put("stepsTotal", stepsTotal(run));
            return ResponseEntity.ok(answer);
        }).orElse(ResponseEntity.notFound().build());
    }

    /**
     * A whole run records one extract per table, the quarantine, every model, the quality checks and the export
     * (skipped steps included); a dim_date run, dim_date and its downstream models.
     */
    private int stepsTotal(Map<String, Object> run) {
        if (BatchRun.Scope.DIM_DATE.name().equals(run.get("scope"))) {
            return graph.withDownstream(List.of(ModelRunner.DIM_DATE)).size();
        }
        String runTables = (String) run.get("tables");
        int extracts = runTables == null || runTables.isEmpty() ? 0 : runTables.split(",").length;
        return extracts + 1 + graph.order().size() + 1 + 1;
    }

    @GetMapping
    public List<Map<String, Object>> runs(@RequestParam(defaultValue = "20") int limit) {
        return runLog.runs(Math.max(1, Math.min(limit, 500)));
    }

    private BatchRun.Request request(RunRequest body) {
        BatchRun.Mode mode = body.mode() == null ? BatchRun.Mode.INCREMENTAL
                : BatchRun.Mode.valueOf(body.mode().toUpperCase(Locale.ROOT));
        BatchRun.Scope scope = body.scope() == null ? BatchRun.Scope.ALL
                : BatchRun.Scope.valueOf(body.scope().toUpperCase(Locale.ROOT));
        List<String> selected = body.tables() == null || body.tables().isEmpty() ? tables.names() : body.tables();
        selected.forEach(tables::get);
        LocalDateTime from = body.from() == null ? null : LocalDate.parse(body.from()).atStartOfDay();
        LocalDateTime to = body.to() == null ? null : LocalDate.parse(body.to()).atStartOfDay();
        if (mode == BatchRun.Mode.BACKFILL && (from == null || to == null || !from.isBefore(to))) {
            throw new IllegalArgumentException("A backfill needs \"from\" before \"to\" (dates, yyyy-MM-dd)");
        }
        return new BatchRun.Request("api", mode, scope, scope == BatchRun.Scope.ALL ? List.copyOf(selected) : List.of(),
                from, to);
    }
}
