package io.dvdrental.pipelines.stream;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * dvd_clicks -> ClickHouse {@code stream.dvd_clicks} (and its materialized views). camel-kafka's batching consumer
 * hands over up to {@code batch-size} records per round, or what arrived within a fifth of {@code max-wait}; their rows
 * wait per partition until {@code insert-rows} are there or the oldest has waited about {@code max-wait}
 * ({@link ClickBatchIngest}); offsets are committed per partition by the route's last step, only after the rows are in
 * ClickHouse. The consumers are {@link ClickConsumerFactory}'s: after a poll that brought nothing they insert and
 * commit rows that have waited long enough, and they drop the waiting rows of partitions revoked. An error
 * (ClickHouse or Kafka away) breaks the round: its consumer reads its partitions again from the committed offsets
 * ({@link ClickBatchIngest#failed}), and the redelivered batches are cut and deduplicated as before. Brokers, security
 * and deserializers are the Kafka component's ({@code camel.component.kafka.*}).
 */
@Component
public class ClickIngestRoute extends EndpointRouteBuilder {

    public static final String ROUTE_ID = "clicks-ingest";
    public static final String INSERT = "clicks-insert";
    public static final String COMMIT = "clicks-commit";
    public static final String FAILED = "clicks-round-failed";

    private final StreamProperties properties;

    public ClickIngestRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(kafka(properties.topic())
                .groupId(properties.groupId())
                .consumersCount(properties.consumers())
                .batching(true)
                .maxPollRecords(properties.batchSize())
                .pollTimeoutMs(properties.pollTimeout().toMillis())
                .sessionTimeoutMs((int) properties.sessionTimeout().toMillis())
                .heartbeatIntervalMs((int) properties.sessionTimeout().toMillis() / 3)
                .batchingIntervalMs((int) properties.roundInterval().toMillis())
                // A round of a backlog in a fetch or two (2 MB of a partition hold ~6,000 clicks, ~20,000 compressed
                // with lz4), not more: a fetch's bytes stay on the heap until its last record is handed over (8 MB
                // a partition held up to 16 MB a consumer).
                .maxPartitionFetchBytes(2 * 1024 * 1024)
                .allowManualCommit(true).autoCommitEnable(false).breakOnFirstError(true)
                .autoOffsetReset("earliest")
                // Records of aborted transactions are never clicks; committed ones leave gaps (markers) in the offsets.
                .advanced().isolationLevel("read_committed")
                // By name, not as an object: an endpoint made again from the URI (a route advised, restarted) keeps it.
                .kafkaClientFactory("#bean:" + ClickConsumerFactory.BEAN))
                .routeId(ROUTE_ID)
                .autoStartup(properties.ingestEnabled())
                // Not handled: the error still breaks the round, after the ingest has seen to its consumer.
                .onException(Exception.class).bean(ClickBatchIngest.class, "failed").id(FAILED).end()
                .bean(ClickBatchIngest.class, "insert").id(INSERT)
                .bean(ClickBatchIngest.class, "commit").id(COMMIT);
    }
}
