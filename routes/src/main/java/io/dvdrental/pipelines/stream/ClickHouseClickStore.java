package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.dvdrental.pipelines.transforms.clicks.ClickRows;
import io.dvdrental.pipelines.transforms.clicks.EnrichedClick;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.warehouse.WarehouseClientConfig;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes click batches to {@code stream.dvd_clicks} so that a repeated batch is dropped by ClickHouse, there and in
 * every materialized view: synchronous insert, deduplication token of the batch's offset range, deduplication in
 * dependent views on. Also keeps the offset range of each batch ({@code stream.ingest_batches}).
 */
@Component
public class ClickHouseClickStore {

    static final String CLICKS = "stream.dvd_clicks";
    static final String BATCHES = "stream.ingest_batches";

    private final Client client;

    public ClickHouseClickStore(Client warehouseClient) {
        this.client = warehouseClient;
    }

    /** Ranges written down for a partition that end at or after {@code fromOffset}, by first offset. */
    public List<Range> knownRanges(String topic, int partition, long fromOffset) {
        List<GenericRecord> rows = client.queryAll("SELECT DISTINCT first_offset, last_offset FROM " + BATCHES
                        + " WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt16}"
                        + " AND last_offset >= {from:UInt64} ORDER BY first_offset",
                Map.of("topic", topic, "partition", partition, "from", fromOffset));
        return rows.stream().map(r -> new Range(r.getLong("first_offset"), r.getLong("last_offset"))).toList();
    }

    /** Writes a batch's range down; must happen before the batch's insert. */
    public void recordRange(String topic, int partition, Range range, int rows) {
        String row = "{\"kafka_topic\":\"" + topic + "\",\"kafka_partition\":" + partition + ",\"first_offset\":"
                + range.first() + ",\"last_offset\":" + range.last() + ",\"rows\":" + rows + "}\n";
        insert(BATCHES, row.getBytes(StandardCharsets.UTF_8), range.token(topic, partition));
    }

    public void insertClicks(String topic, int partition, Range range, List<EnrichedClick> clicks) {
        insert(CLICKS, ClickRows.jsonEachRow(topic, clicks), range.token(topic, partition));
    }

    private void insert(String table, byte[] body, String token) {
        InsertSettings settings = new InsertSettings()
                .setDeduplicationToken(token)
                .serverSetting("async_insert", "0")
                .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
        try {
            // A writer, not a stream: when the client retries (a stale pooled connection), it sends the whole body
            // again under the same token; a half-read stream would resend a broken body.
            client.insert(table, out -> out.write(body), ClickHouseFormat.JSONEachRow, settings)
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
