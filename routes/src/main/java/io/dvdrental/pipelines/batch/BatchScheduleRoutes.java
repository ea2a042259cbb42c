package io.dvdrental.pipelines.batch;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The daily schedules (camel-quartz on the clustered job store in the state database, so that one replica fires):
 * the whole chain, and dim_date with its dependants. Off in the test profile; tests start runs themselves.
 */
@Component
@ConditionalOnProperty(name = "dvd.batch.schedule.enabled", havingValue = "true", matchIfMissing = true)
public class BatchScheduleRoutes extends EndpointRouteBuilder {

    private final BatchProperties properties;

    public BatchScheduleRoutes(BatchProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(quartz("batch/daily").cron(properties.schedule().dailyCron().trim()))
                .routeId("batch-daily-schedule")
                .bean(BatchRuns.class, "startDaily")
                .to(direct("batch-run"));

        from(quartz("batch/dim-date").cron(properties.schedule().dimDateCron().trim()))
                .routeId("batch-dim-date-schedule")
                .bean(BatchRuns.class, "startDimDate")
                .to(direct("batch-dim-date"));
    }
}
