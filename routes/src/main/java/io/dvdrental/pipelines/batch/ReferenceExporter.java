package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
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
    public static final String MODEL = "gold.dim_film";

    /** Exchange property: the films this run exports, read once, written as CSV, JSON lines and a pointer. */
    public static final String FILMS = "dvdFilmExport";

    /** gold.dim_film as read for one run's export. */
    public record Films(String version, List<Map<String, Object>> rows) {
    }

    private final Warehouse warehouse;
    private final RunLog runLog;
    private final StepRecorder steps;
    private final BatchProperties properties;

    public ReferenceExporter(Warehouse warehouse, RunLog runLog, StepRecorder steps, BatchProperties properties) {
        this.warehouse = warehouse;
        this.runLog = runLog;
        this.steps = steps;
        this.properties = properties;
    }

    /** Whether the files must be written (gold.dim_film changed since the last export); records the step. */
    public boolean due(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        Optional<StepState> quality = run.step(QualityChecks.QUALITY_STEP);
        Optional<StepState> film = run.step(MODEL);
        if (!properties.exportEnabled()) {
            steps.skip(run, STEP, "export", "disabled (dvd.batch.export-enabled=false)");
        } else if (quality.map(StepState::blocksDependants).orElse(false)) {
            steps.skip(run, STEP, "export", "quality " + quality.get().name().toLowerCase());
        } else if (film.map(StepState::blocksDependants).orElse(false)) {
            steps.skip(run, STEP, "export", MODEL + " " + film.get().name().toLowerCase());
        } else if (!warehouse.exists(MODEL)) {
            steps.skip(run, STEP, "export", MODEL + " does not exist yet");
        } else {
            Optional<RunLog.NodeState> exported = runLog.node(run, NODE);
            Instant changed = runLog.node(run, MODEL).map(RunLog.NodeState::changedAt).orElse(Instant.now());
            steps.start(run, STEP, "export");
            if (exported.isEmpty() || changed.isAfter(exported.get().checkedAt())) {
                return true;
            }
            steps.finish(run, STEP, StepState.UNCHANGED, 0, 0, "not exported again: " + MODEL
                    + " did not change since the last export");
        }
        return false;
    }

    /** Reads gold.dim_film for this run's export. */
    public Films read(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        return new Films(run.id(), warehouse.rows("SELECT film_id, title, category_name, rating, length, "
                + "release_year, rental_duration FROM " + MODEL + " ORDER BY film_id"));
    }

    public String csv(@ExchangeProperty(FILMS) Films films) {
        return FilmReferenceExport.csv(films.rows());
    }

    public String jsonLines(@ExchangeProperty(FILMS) Films films) {
        return FilmReferenceExport.jsonLines(films.rows());
    }

    /** The pointer to this run's files, written last; only while the run holds the run lock. */
    public String pointer(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @ExchangeProperty(FILMS) Films films) {
        run.hold().verify();
        return FilmReferenceExport.pointer(films.version(), films.rows().size(), Instant.now()).toJson();
    }

    public void exported(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @ExchangeProperty(FILMS) Films films) {
        int rows = films.rows().size();
        runLog.nodeChecked(run, NODE, true, rows, run.id(), null);
        steps.finish(run, STEP, StepState.SUCCEEDED, rows, rows, null);
    }

    public void failed(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        steps.fail(run, STEP, e, 0, 0);
    }
}
