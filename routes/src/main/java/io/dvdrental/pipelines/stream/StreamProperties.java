package io.dvdrental.pipelines.stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the click stream ({@code config/spring/stream.yml}, prefix {@code dvd.stream}).
 *
 * @param topic          the click topic (created at start-up when missing, with {@code partitions})
 * @param dlqTopic       where bad clicks go with their reason
 * @param groupId        consumer group of the ingest route; replicas of the server share it
 * @param consumers      consumer threads per server; throughput scales with partitions up to partitions
 * @param batchSize      most records per round (Kafka max.poll.records): the records camel-kafka hands over at once,
 *                       each a Camel exchange until the round ends
 * @param insertRows     rows of a partition that make an insert: a partition's rows are kept across rounds until
 *                       they reach this many; with {@code batchSize} at most one ClickHouse insert block (1M rows), so
 *                       that an insert is one deduplicated block
 * @param maxWait        about the longest a click waits for its insert to fill before it is inserted anyway, unless
 *                       at least {@code insertRows} more records of its partition are still to be read (a backlog)
 * @param pollTimeout    Kafka poll timeout
 * @param sessionTimeout how long the group waits for a consumer that stopped heartbeating (killed server, a broker
 *                       restart that left the old members behind) before its partitions move on
 * @param ingestEnabled  whether the ingest route starts with the server
 * @param maxClockSkew   how far in the future an event_ts may be before the click is absurd
 */
@Validated
@ConfigurationProperties(prefix = "dvd.stream")
public record StreamProperties(@NotBlank String topic, @NotBlank String dlqTopic, @Min(1) int partitions,
                               @Min(1) short replicationFactor, @NotBlank String groupId, @Min(1) int consumers,
                               @Min(1) @Max(1_000_000) int batchSize, @Min(1) int insertRows, @NotNull Duration maxWait, @NotNull Duration pollTimeout,
                               @NotNull Duration sessionTimeout, boolean ingestEnabled, @NotNull Duration maxClockSkew,
                               @Valid @NotNull Reference reference, @Valid @NotNull Producer producer) {

    /** An insert's rows (at most a round more than {@code insertRows}) stay one ClickHouse insert block. */
    @AssertTrue(message = "insert-rows + batch-size must be at most 1,000,000, one ClickHouse insert block")
    public boolean isOneBlockPerInsert() {
        return (long) insertRows + batchSize <= 1_000_000;
    }

    /**
     * How often camel-kafka hands over what it polled (when fewer than {@code batchSize} came) and the flush looks for
     * rows that have waited long enough: a fifth of {@code maxWait}.
     */
    public Duration roundInterval() {
        return maxWait.dividedBy(5);
    }

    /** The dim_film lookup: how often {@code reference/dim_film/latest.json} is checked for a new export. */
    public record Reference(@NotNull Duration pollInterval) {
    }

    /**
     * The built-in click producer route (demo data): off unless enabled, {@code rate} events per second over
     * {@code users} users; {@code seed} fixes the sequence (empty: a new one per start).
     */
    public record Producer(boolean enabled, @DecimalMin("0.1") double rate, @Min(1) int users, Long seed) {
    }
}
