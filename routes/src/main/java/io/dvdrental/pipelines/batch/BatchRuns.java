package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;

/** Start and end of a run in the route chain, and the gold freshness mark the dashboards read. */
@Component
public class BatchRuns {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRuns.class);

    private final RunLog runLog;
    private final SourceTables tables;
    private final ModelGraph graph;
    private final Warehouse warehouse;

    public BatchRuns(RunLog runLog, SourceTables tables, ModelGraph graph, Warehouse warehouse) {
        this.runLog = runLog;
        this.tables = tables;
        this.graph = graph;
        this.warehouse = warehouse;
    }

    /** For the schedules: starts an incremental run of everything, or stops the exchange when one is in progress. */
    public void startScheduled(Exchange exchange, BatchRun.Scope scope) {
        try {
            BatchRun run = runLog.start(new BatchRun.Request("schedule", BatchRun.Mode.INCREMENTAL, scope,
                    scope == BatchRun.Scope.ALL ? tables.names() : List.of(), null, null));
            exchange.setProperty(BatchRun.PROPERTY, run);
            LOG.info("Scheduled batch run {} ({}) started", run.id(), scope);
        } catch (RunLog.RunInProgressException e) {
            LOG.info("Scheduled batch run ({}) not started: {}", scope, e.getMessage());
            exchange.setRouteStop(true);
        }
    }

    /** The whole chain: the daily schedule's, and with change capture on the short schedule's. */
    public void startChain(Exchange exchange) {
        startScheduled(exchange, BatchRun.Scope.ALL);
    }

    public void startDimDate(Exchange exchange) {
        startScheduled(exchange, BatchRun.Scope.DIM_DATE);
    }

    public void finished(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        runLog.finish(run, null);
        LOG.info("Batch run {} finished", run.id());
    }

    public void failed(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run,
                       @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        LOG.warn("Batch run {} failed", run == null ? "?" : run.id(), e);
        if (run != null) {
            runLog.finish(run, StepRecorder.describe(e));
        }
    }

    /**
     * After gold: when no gold model of this run failed, gold is as fresh as this run: as the source the run's bronze
     * held (with change capture, the catch-up's moment), else the moment gold was built.
     */
    public void recordGoldFreshness(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        List<String> gold = graph.layer("gold").stream().filter(m -> run.step(m).isPresent()).toList();
        boolean allGood = gold.stream().noneMatch(m -> run.step(m).orElseThrow().blocksDependants());
        if (!gold.isEmpty() && allGood) {
            run.hold().verify();
            List<String> changed = gold.stream()
                    .filter(m -> run.step(m).orElseThrow() == BatchRun.StepState.SUCCEEDED).toList();
            String refreshedAt = run.sourceHeldAt()
                    .map(at -> "fromUnixTimestamp64Milli(toInt64(" + at.toEpochMilli() + "))").orElse("now64(3)");
            warehouse.jdbc().update("INSERT INTO gold.batch_freshness (run_id, refreshed_at, models) VALUES (?, "
                    + refreshedAt + ", ?)", run.id(), changed.toArray(String[]::new));
        }
    }
}
