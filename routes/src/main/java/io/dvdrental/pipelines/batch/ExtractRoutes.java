package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.cdc.CaptureCatchUp;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.stereotype.Component;

import java.util.concurrent.ExecutorService;

/**
 * Extract and load: one route per source table from the template {@code extract-table} (the tables are data, see
 * {@link SourceTables}), and {@code batch-extract}, which runs the run's tables in parallel.
 */
@Component
public class ExtractRoutes extends EndpointRouteBuilder {

    private final SourceTables tables;
    private final BatchProperties properties;
    private final Extractor extractor;

    public ExtractRoutes(SourceTables tables, BatchProperties properties, Extractor extractor) {
        this.tables = tables;
        this.properties = properties;
        this.extractor = extractor;
    }

    @Override
    public void configure() {
        ExecutorService pool = getContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "batch-extract", properties.parallelism());
        // A chunk is inserted while the next one is read (Extractor.handOff): no queue, the reading thread stores its
        // chunk itself when every store thread is busy.
        ThreadPoolProfile storeProfile = new ThreadPoolProfileBuilder("batch-store")
                .poolSize(properties.parallelism()).maxPoolSize(properties.parallelism())
                .maxQueueSize(0).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build();
        ExecutorService storePool = getContext().getExecutorServiceManager()
                .newThreadPool(this, "batch-store", storeProfile);

        if (properties.capture() == BatchProperties.Capture.CDC) {
            // Bronze receives every change as it happens: a run waits for it to hold the changes up to the run's start.
            from(direct("batch-extract")).routeId("batch-extract")
                    .bean(CaptureCatchUp.class, "await").id("capture-catch-up");
        } else {
            from(direct("batch-extract")).routeId("batch-extract")
                    .split(simple("${exchangeProperty." + BatchRun.PROPERTY + ".tables()}"))
                            .parallelProcessing().executorService(pool)
                        .setHeader(Extractor.TABLE, body())
                        .toD("direct:extract-${body}")
                    .end();
        }

        routeTemplate("extract-table")
                .templateParameter("table")
                .from("direct:extract-{{table}}")
                    // A failed table is recorded and does not stop the others; its watermark stays.
                    .onException(Exception.class).handled(true)
                        .bean(Extractor.class, "failed")
                    .end()
                    .setHeader(Extractor.TABLE, constant("{{table}}"))
                    .bean(Extractor.class, "plan")
                    .process(extractor::copyOut).id("extract-query")
                    // A chunk that failed to store stops the read (the table's watermark stays).
                    .split(body()).streaming()
                            .stopOnException()
                        .process(extractor::readChunk).id("read-chunk")
                        .process(exchange -> extractor.handOff(exchange, storePool)).id("store-chunk")
                    .end()
                    .bean(Extractor.class, "awaitStored")
                    .bean(Extractor.class, "commitWatermark").id("commit-watermark")
                    .bean(Extractor.class, "finished");

        for (SourceTable table : tables.tables()) {
            templatedRoute("extract-table").routeId("extract-" + table.name())
                    .parameter("table", table.name());
        }
    }
}
