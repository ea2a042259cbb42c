package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of the dim_film export ({@code batch-export}): decide whether to export, render the files, record the
 * outcome. Exports when gold.dim_film changed since the last export; waits for quality to pass.
 */
@Component
public class ReferenceExporter {

    public static final String STEP = "export:dim_film";
    public static final String NODE = "s3.dim_film";
    static final String MODEL = "gold.dim_film";

    private final Warehouse warehouse;
    private final RunLog runLog;
    private final BatchProperties properties;

    public ReferenceExporter(Warehouse warehouse, RunLog runLog, BatchProperties properties) {
        this.warehouse = warehouse;
        this.runLog = runLog;
        this.properties = properties;
    }

    /** Sets header {@code export}: true when the files must be written. */
    public void plan(Exchange exchange) {
        BatchRun run = Extractor.run(exchange);
        Optional<StepState> quality = run.step(QualityChecks.QUALITY_STEP);
        Optional<StepState> film = run.step(MODEL);
        boolean export = false;
        if (!properties.exportEnabled()) {
            runLog.stepSkipped(run, STEP, "export", "disabled (dvd.batch.export-enabled=false)");
        } else if (quality.map(StepState::blocksDependants).orElse(false)) {
            runLog.stepSkipped(run, STEP, "export", "quality " + quality.get().name().toLowerCase());
        } else if (film.map(StepState::blocksDependants).orElse(false)) {
            runLog.stepSkipped(run, STEP, "export", MODEL + " " + film.get().name().toLowerCase());
        } else if (!warehouse.exists(MODEL)) {
            runLog.stepSkipped(run, STEP, "export", MODEL + " does not exist yet");
        } else {
            Optional<RunLog.NodeState> exported = runLog.node(run, NODE);
            Instant changed = runLog.node(run, MODEL).map(RunLog.NodeState::changedAt).orElse(Instant.now());
            runLog.stepStarted(run, STEP, "export");
            export = exported.isEmpty() || changed.isAfter(exported.get().checkedAt());
            if (!export) {
                runLog.stepFinished(run, STEP, StepState.UNCHANGED, 0, 0, null);
            }
        }
        exchange.getMessage().setHeader("export", export);
    }

    /** Reads gold.dim_film and sets headers csv, jsonl, rows, version. */
    public void render(Exchange exchange) {
        BatchRun run = Extractor.run(exchange);
        List<Map<String, Object>> rows = warehouse.rows("SELECT film_id, title, category_name, rating, length, "
                + "release_year, rental_duration FROM " + MODEL + " ORDER BY film_id");
        exchange.getMessage().setHeader("csv", FilmReferenceExport.csv(rows));
        exchange.getMessage().setHeader("jsonl", FilmReferenceExport.jsonLines(rows));
        exchange.getMessage().setHeader("rows", rows.size());
        exchange.getMessage().setHeader("version", run.id());
    }

    /** The body becomes the pointer to this run's files, written last; only while the run holds the run lock. */
    public void pointer(Exchange exchange) {
        BatchRun run = Extractor.run(exchange);
        run.hold().verify();
        int rows = exchange.getMessage().getHeader("rows", Integer.class);
        exchange.getMessage().setBody(FilmReferenceExport.pointer(run.id(), rows, Instant.now()).toJson());
    }

    public void exported(Exchange exchange) {
        BatchRun run = Extractor.run(exchange);
        int rows = exchange.getMessage().getHeader("rows", Integer.class);
        runLog.nodeChecked(run, NODE, true, rows, run.id(), null);
        runLog.stepFinished(run, STEP, StepState.SUCCEEDED, rows, rows, null);
    }

    public void failed(Exchange exchange) {
        BatchRun run = Extractor.run(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        runLog.stepFinished(run, STEP, StepState.FAILED, 0, 0, e == null ? "unknown" : ModelRunner.rootMessage(e));
    }
}
