package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;

import io.dvdrental.pipelines.transforms.batch.Model;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Runs models in graph order. A model whose upstream step failed (or was skipped) is skipped with the reason. A model
 * is rebuilt when an upstream changed since it was last checked ({@link RunLog#changedAfter}), when its SQL changed,
 * or in a full run (else its step is UNCHANGED, "not rebuilt"); it is built into a staging table and swapped
 * in atomically ({@code EXCHANGE TABLES}) only when its content (row count and checksum) differs, so a rerun over
 * unchanged data writes nothing.
 */
@Component
public class ModelRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);

    public static final String DIM_DATE = "gold.dim_date";

    private final ModelGraph graph;
    private final Warehouse warehouse;
    private final RunLog runLog;
    private final StepRecorder steps;

    public ModelRunner(ModelGraph graph, Warehouse warehouse, RunLog runLog, StepRecorder steps) {
        this.graph = graph;
        this.warehouse = warehouse;
        this.runLog = runLog;
        this.steps = steps;
    }

    public void runSilver(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.layer("silver"));
    }

    public void runGold(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.layer("gold"));
    }

    /** dim_date has no upstream: its own schedule rebuilds it and then whatever depends on it. */
    public void runDimDateChain(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.withDownstream(List.of(DIM_DATE)));
    }

    void run(BatchRun run, List<String> models) {
        for (String name : models) {
            Model model = graph.model(name);
            Optional<String> blocked = steps.blockedBy(run, model.dependsOn());
            if (blocked.isPresent()) {
                steps.skip(run, name, "model", blocked.get());
                continue;
            }
            steps.start(run, name, "model");
            try {
                Outcome outcome = build(model, run);
                steps.finish(run, name, outcome.changed() ? StepState.SUCCEEDED : StepState.UNCHANGED,
                        outcome.rowsRead(), outcome.changed() ? outcome.rowsWritten() : 0, outcome.note());
            } catch (RunHold.LostException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("Model {} failed in run {}: {}", name, run.id(), e.getMessage());
                steps.fail(run, name, e, 0, 0);
            }
        }
    }

    /** @param note why an unchanged model was not swapped in (null for a changed one) */
    record Outcome(boolean changed, long rowsRead, long rowsWritten, String note) {
    }

    static final String NOT_REBUILT = "not rebuilt: its upstreams and SQL did not change since it was built";
    static final String SAME_CONTENT = "rebuilt: same content";

    private Outcome build(Model model, BatchRun run) {
        boolean exists = warehouse.exists(model.name());
        Optional<RunLog.NodeState> self = runLog.node(run, model.name());
        if (exists && self.isPresent() && upToDate(model, self.get(), run)) {
            return new Outcome(false, 0, 0, NOT_REBUILT);
        }
        if (model.materialized() == Model.Materialized.VIEW) {
            run.hold().verify();
            warehouse.execute("CREATE OR REPLACE VIEW " + model.name() + " AS " + model.select());
            runLog.nodeChecked(run, model.name(), true, 0, null, model.fingerprint());
            return new Outcome(true, 0, 0, null);
        }
        String staging = model.name() + "__staging";
        warehouse.execute("DROP TABLE IF EXISTS " + staging);
        warehouse.execute("CREATE TABLE " + staging + " ENGINE = MergeTree ORDER BY (" + model.orderBy()
                + ") AS " + model.select());
        Warehouse.Checksum built = warehouse.checksum(staging);
        if (exists && built.equals(warehouse.checksum(model.name()))) {
            warehouse.execute("DROP TABLE " + staging);
            runLog.nodeChecked(run, model.name(), false, built.rows(), built.hash(), model.fingerprint());
            return new Outcome(false, built.rows(), 0, SAME_CONTENT);
        }
        // The swap is what another run would collide with: only while this run holds the run lock.
        run.hold().verify();
        if (exists) {
            warehouse.execute("EXCHANGE TABLES " + staging + " AND " + model.name());
            warehouse.execute("DROP TABLE " + staging);
        } else {
            warehouse.execute("RENAME TABLE " + staging + " TO " + model.name());
        }
        runLog.nodeChecked(run, model.name(), true, built.rows(), built.hash(), model.fingerprint());
        return new Outcome(true, built.rows(), built.rows(), null);
    }

    /**
     * Built from this model's SQL after its upstreams last changed, and no full rebuild asked for. A model without
     * upstreams (dim_date, which grows with the calendar) is never up to date.
     */
    private boolean upToDate(Model model, RunLog.NodeState self, BatchRun run) {
        return run.mode() != BatchRun.Mode.FULL && !model.dependsOn().isEmpty()
                && model.fingerprint().equals(self.fingerprint())
                && !runLog.changedAfter(run, model.dependsOn(), self.checkedAt());
    }
}
