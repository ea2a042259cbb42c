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
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Batch runs on demand: {@code POST /api/batch/runs} starts one (incremental by default; {@code {"mode":"full"}},
 * {@code {"tables":["rental"]}}, {@code {"mode":"backfill","from":"2005-05-01","to":"2005-06-01"}},
 * {@code {"scope":"dim_date"}}) and answers its id at once; {@code GET /api/batch/runs/{id}} shows every step and
 * {@code stepsTotal}, how many steps the run records when it goes to the end (what a follower counts towards).
 */
@RestController
@RequestMapping("/api/batch/runs")
public class BatchRunController {

    /** The body of {@code POST /api/batch/runs}; every field is optional. */
    public record RunRequest(String mode, List<String> tables, String from, String to, String scope) {

        /**
         * What to run, or {@link IllegalArgumentException} with a message naming the value that cannot be carried
         * out: an unknown mode, scope or table, a table listed twice, a date that is not one.
         */
        public BatchRun.Request toRequest(SourceTables sources) {
            BatchRun.Mode runMode = choice("mode", mode, BatchRun.Mode.class, BatchRun.Mode.INCREMENTAL);
            BatchRun.Scope runScope = choice("scope", scope, BatchRun.Scope.class, BatchRun.Scope.ALL);
            List<String> selected = tables == null || tables.isEmpty() ? sources.names() : tables;
            Set<String> seen = new HashSet<>();
            for (String table : selected) {
                sources.get(table);
                if (!seen.add(table)) {
                    throw new IllegalArgumentException("'" + table + "' is listed twice in \"tables\"");
                }
            }
            LocalDateTime fromDay = day("from", from);
            LocalDateTime toDay = day("to", to);
            if (runMode == BatchRun.Mode.BACKFILL && (fromDay == null || toDay == null || !fromDay.isBefore(toDay))) {
                throw new IllegalArgumentException("A backfill needs \"from\" before \"to\" (dates, yyyy-MM-dd)");
            }
            return new BatchRun.Request("api", runMode, runScope,
                    runScope == BatchRun.Scope.ALL ? List.copyOf(selected) : List.of(), fromDay, toDay);
        }

        private static <E extends Enum<E>> E choice(String field, String value, Class<E> type, E fallback) {
            if (value == null) {
                return fallback;
            }
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown " + field + " '" + value + "'; known: "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            }
        }

        private static LocalDateTime day(String field, String value) {
            if (value == null) {
                return null;
            }
            try {
                return LocalDate.parse(value).atStartOfDay();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + field + "\" is not a date (yyyy-MM-dd): '" + value + "'");
            }
        }
    }

    private final RunLog runLog;
    private final BatchRunQueries queries;
    private final SourceTables tables;
    private final ProducerTemplate producer;
    private final ModelGraph graph;

    public BatchRunController(RunLog runLog, BatchRunQueries queries, SourceTables tables, ProducerTemplate producer,
                              ModelGraph graph) {
        this.runLog = runLog;
        this.queries = queries;
        this.tables = tables;
        this.producer = producer;
        this.graph = graph;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) RunRequest body) {
        BatchRun.Request request;
        try {
            request = (body == null ? new RunRequest(null, null, null, null, null) : body).toRequest(tables);
        } catch (IllegalArgumentException e) {
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
        // Without a consumer (the route stopped in Hawtio, or not started yet) the run would wait in the queue,
        // RUNNING, and keep every later run out: it is refused instead.
        producer.send("seda:" + BatchRoutes.REQUESTS + "?failIfNoConsumers=true", exchange);
        if (exchange.getException() != null) {
            String reason = "Runs are not taken now: the route " + BatchRoutes.REQUESTS_ROUTE_ID + " is not running ("
                    + exchange.getException().getMessage() + ")";
            runLog.finish(run, reason);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", reason));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("runId", run.id());
        answer.put("state", "RUNNING");
        answer.put("href", "/api/batch/runs/" + run.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> run(@PathVariable String id) {
        return queries.run(id).map(run -> {
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
        return queries.runs(Math.max(1, Math.min(limit, 500)));
    }
}
