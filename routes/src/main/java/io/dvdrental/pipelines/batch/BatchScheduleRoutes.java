package io.dvdrental.pipelines.batch;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.quartz.JobKey;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The daily schedules (camel-quartz on the clustered job store in the state database, so that one replica fires):
 * the whole chain, and dim_date with its dependants; with change capture on, the whole chain every minute too. Off
 * in the test profile; tests start runs themselves.
 */
@Component
@ConditionalOnProperty(name = "dvd.batch.schedule.enabled", havingValue = "true", matchIfMissing = true)
public class BatchScheduleRoutes extends EndpointRouteBuilder {

    public static final String CDC_SCHEDULE_ROUTE = "batch-cdc-schedule";
    /** The capture schedule's job (and trigger) in the job store: {@code quartz:batch/cdc}. */
    static final JobKey CDC_SCHEDULE_JOB = JobKey.jobKey("cdc", "batch");

    private final BatchProperties properties;

    public BatchScheduleRoutes(BatchProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(quartz("batch/daily").cron(properties.schedule().dailyCron().trim()))
                .routeId("batch-daily-schedule")
                .bean(BatchRuns.class, "startChain")
                .to(direct("batch-run"));

        if (properties.capture() == BatchProperties.Capture.CDC) {
            // The capture keeps bronze current, so gold can follow within a minute; a firing while a run is still
            // going starts nothing.
            from(quartz(CDC_SCHEDULE_JOB.getGroup() + "/" + CDC_SCHEDULE_JOB.getName())
                    .cron(properties.schedule().cdcCron().trim()))
                    .routeId(CDC_SCHEDULE_ROUTE)
                    .bean(BatchRuns.class, "startChain")
                    .to(direct("batch-run"));
        }

        from(quartz("batch/dim-date").cron(properties.schedule().dimDateCron().trim()))
                .routeId("batch-dim-date-schedule")
                .bean(BatchRuns.class, "startDimDate")
                .to(direct("batch-dim-date"));
    }
}
