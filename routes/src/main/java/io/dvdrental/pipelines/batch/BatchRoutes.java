package io.dvdrental.pipelines.batch;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Orchestration as route chaining. {@code batch-run}: extract all tables in parallel, quarantine orphans, silver,
 * gold, data quality, reference export. Each stage records its steps; a step whose upstream failed is skipped with
 * the reason, and the next run resumes from the watermarks. {@code batch-dim-date}: dim_date and its dependants.
 */
@Component
public class BatchRoutes extends EndpointRouteBuilder {

    /** The seda queue runs started over HTTP wait in (one consumer: runs never overlap here). */
    static final String REQUESTS = "batch-runs";
    static final String REQUESTS_ROUTE_ID = "batch-run-requests";

    @Override
    public void configure() {
        // Runs started over HTTP: the caller already has the run id; one consumer, runs never overlap.
        from(seda(REQUESTS).concurrentConsumers(1)).routeId(REQUESTS_ROUTE_ID)
                .choice()
                    .when(simple("${exchangeProperty." + BatchRun.PROPERTY + ".request.scope} == 'DIM_DATE'"))
                        .to(direct("batch-dim-date"))
                    .otherwise()
                        .to(direct("batch-run"));

        // doTry, not onException: an exception that a sub-route's error handler already exhausted (a step that could
        // not record its failure while the state database was away) never reaches the caller's onException, and
        // the run would stay RUNNING.
        from(direct("batch-run")).routeId("batch-run")
                .doTry()
                    .to(direct("batch-extract"))
                    .bean(QualityChecks.class, "countSource")
                    .bean(QualityChecks.class, "quarantineOrphans")
                    .to(direct("batch-silver"))
                    .to(direct("batch-gold"))
                    .to(direct("batch-quality"))
                    .to(direct("batch-export"))
                    .bean(BatchRuns.class, "finished")
                .doCatch(Exception.class)
                    .bean(BatchRuns.class, "failed")
                .end();

        from(direct("batch-silver")).routeId("batch-silver")
                .bean(ModelRunner.class, "runSilver");

        from(direct("batch-gold")).routeId("batch-gold")
                .bean(ModelRunner.class, "runGold")
                .bean(BatchRuns.class, "recordGoldFreshness");

        from(direct("batch-quality")).routeId("batch-quality")
                .bean(QualityChecks.class, "check");

        from(direct("batch-dim-date")).routeId("batch-dim-date")
                .doTry()
                    .bean(ModelRunner.class, "runDimDateChain")
                    .bean(BatchRuns.class, "recordGoldFreshness")
                    .bean(BatchRuns.class, "finished")
                .doCatch(Exception.class)
                    .bean(BatchRuns.class, "failed")
                .end();
    }
}
