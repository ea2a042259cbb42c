package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.warehouse.WarehouseClientConfig;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes click batches to {@code stream.dvd_clicks} so that a repeated batch is dropped by ClickHouse, there and in
 * every materialized view: synchronous insert, deduplication token of the batch's topic id and offset range,
 * deduplication in dependent views on. Keeps the offset range of each batch ({@code stream.ingest_batches}); the
 * high-water mark of each partition ({@code stream.ingest_high_water}) is written by the insert itself (a view).
 *
 * <p>The insert is fenced by that mark: ClickHouse drops the batch's rows at or below it in the same statement. A
 * server frozen past the consumer session timeout wakes up holding records whose partition moved on; the next owner
 * stored them cut into other ranges (other tokens), so only the mark, read when the insert runs, keeps the late insert
 * from storing them twice. The check in Java ({@link Progress#highWater()}) is older than the insert by a round trip
 * and a freeze; this one is not.
 */
@Component
public class ClickHouseClickStore implements ClickStore {

    static final String CLICKS = "stream.dvd_clicks";
    static final String BATCHES = "stream.ingest_batches";
    static final String HIGH_WATER = "stream.ingest_high_water";

    /** One round trip: the high-water mark (kind 0, when there is one) and the ranges (kind 1). */
    private static final String PROGRESS = "SELECT 0 AS kind, 0 AS first_offset, max(last_offset) AS last_offset FROM "
            + HIGH_WATER + " WHERE kafka_topic = {topic:String} AND kafka_topic_id = {id:String}"
            + " AND kafka_partition = {partition:UInt16} HAVING count() > 0"
            + " UNION ALL SELECT DISTINCT 1 AS kind, first_offset, last_offset FROM " + BATCHES
            + " WHERE kafka_topic = {topic:String} AND kafka_topic_id = {id:String}"
            + " AND kafka_partition = {partition:UInt16} AND last_offset >= {from:UInt64}";

    /**
     * The fenced insert, in the place of the table name ("INSERT INTO" before it, " FORMAT Native" and the rows
     * after it): the rows come through {@code input()}; the mark is the partition's highest stored offset, or none.
     * Deduplication by token holds for this INSERT SELECT: {@code input()} is a stable source.
     */
    private static final String FENCED_CLICKS = CLICKS + " (" + ClickRows.COLUMNS + ") SELECT " + ClickRows.COLUMNS
            + " FROM input(" + ClickRows.STRUCTURE + ") WHERE kafka_offset >="
            + " (SELECT if(count() = 0, 0, max(last_offset) + 1) FROM " + HIGH_WATER
            + " WHERE kafka_topic = {topic:String} AND kafka_topic_id = {id:String}"
            + " AND kafka_partition = {partition:UInt16})";

    private final Client client;

    public ClickHouseClickStore(Client warehouseClient) {
        this.client = warehouseClient;
    }

    @Override
    public Progress progress(ClickPartition partition, long fromOffset) {
        List<GenericRecord> rows = client.queryAll(PROGRESS, Map.of("topic", partition.topic(),
                "id", partition.topicId(), "partition", partition.partition(), "from", fromOffset));
        long highWater = Progress.NONE;
        List<Range> ranges = new ArrayList<>();
        for (GenericRecord row : rows) {
            if (row.getInteger("kind") == 0) {
                highWater = row.getLong("last_offset");
            } else {
                ranges.add(new Range(row.getLong("first_offset"), row.getLong("last_offset")));
            }
        }
        ranges.sort(Comparator.comparingLong(Range::first));
        return new Progress(highWater, ranges);
    }

    @Override
    public void recordRange(ClickPartition partition, Range range, int rows) {
        String row = "{\"kafka_topic\":\"" + partition.topic() + "\",\"kafka_topic_id\":\"" + partition.topicId()
                + "\",\"kafka_partition\":" + partition.partition() + ",\"first_offset\":" + range.first()
                + ",\"last_offset\":" + range.last() + ",\"rows\":" + rows + "}\n";
        byte[] body = row.getBytes(StandardCharsets.UTF_8);
        insert(BATCHES, BATCHES, out -> out.write(body), ClickHouseFormat.JSONEachRow,
                partition.token(range), new InsertSettings());
    }

    @Override
    public void insertClicks(ClickPartition partition, Range range, ClickBlock rows) {
        InsertSettings fence = new InsertSettings()
                .serverSetting("param_topic", partition.topic())
                .serverSetting("param_id", partition.topicId())
                .serverSetting("param_partition", String.valueOf(partition.partition()));
        insert(CLICKS, FENCED_CLICKS, rows::writeTo, ClickHouseFormat.Native, partition.token(range), fence);
    }

    /** Inserts into {@code table}; {@code into} is what follows INSERT INTO: the table, or the fenced statement. */
    private void insert(String table, String into, DataStreamWriter body, ClickHouseFormat format, String token,
                        InsertSettings settings) {
        settings.setDeduplicationToken(token)
                .serverSetting("async_insert", "0")
                .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
        try {
            // A writer, not a stream: when the client retries (a stale pooled connection), it sends the whole body
            // again under the same token; a half-read stream would resend a broken body.
            client.insert(into, body, format, settings)
                    .get(WarehouseClientConfig.TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while inserting into " + table, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Insert into " + table + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Insert into " + table + " took more than " + WarehouseClientConfig.TIMEOUT_SECONDS + " s", e);
        } catch (Exception e) {
            throw new IllegalStateException("Insert into " + table + " failed: " + e.getMessage(), e);
        }
    }
}
