package io.dvdrental.pipelines.insights;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Limits of the read-only insights API and what the pipelines page looks at ({@code config/spring/insights.yml}).
 *
 * @param defaultLimit       rows of a ranking when the caller gives no {@code limit}
 * @param maxLimit           largest {@code limit} accepted
 * @param defaultMinutes     streaming window when the caller gives no {@code minutes}
 * @param maxMinutes         largest streaming window accepted
 * @param clickTopic         the clickstream topic whose consumer lag {@code /api/pipelines} reports
 * @param clickConsumerGroup the consumer group of the streaming route
 * @param dlqTopic           the dead-letter topic whose message count {@code /api/pipelines} reports
 * @param poolSize           connections of the readers' own ClickHouse pool (the pipelines' pool is not theirs)
 * @param maxExecutionTime   ClickHouse stops a reader's statement after this long (max_execution_time)
 * @param cacheTtl           how long a live answer is reused for the same question, and how often gold is checked for
 *                           a change (a batch answer is kept while it has none); 0 answers every request afresh
 */
@ConfigurationProperties(prefix = "dvd.insights")
public record InsightsProperties(
        @DefaultValue("10") int defaultLimit,
        @DefaultValue("100") int maxLimit,
        @DefaultValue("15") int defaultMinutes,
        @DefaultValue("1440") int maxMinutes,
        @DefaultValue("dvd_clicks") String clickTopic,
        @DefaultValue("dvd-clicks-ingest") String clickConsumerGroup,
        @DefaultValue("dvd_clicks.dlq") String dlqTopic,
        @DefaultValue("4") int poolSize,
        @DefaultValue("10s") Duration maxExecutionTime,
        @DefaultValue("5s") Duration cacheTtl) {
}
