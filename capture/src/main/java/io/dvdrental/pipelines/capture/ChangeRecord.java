package io.dvdrental.pipelines.capture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One change of one source row, as plain Java values (no Kafka Connect types): numbers, strings, booleans,
 * {@link java.math.BigDecimal}, {@link java.time.LocalDate}, {@link java.time.LocalDateTime},
 * {@link java.time.OffsetDateTime}, {@link java.time.LocalTime}, lists and byte arrays.
 *
 * <p>Changes are totally ordered by (commit LSN, change LSN) while streaming; every row of the initial snapshot
 * carries the snapshot's LSN in both and is ordered by its key (the snapshot reads each table by key).
 *
 * @param table       the source table, without its schema
 * @param key         the primary key columns and values (empty for a truncate)
 * @param values      the row after the change; for a delete, what the source kept of the row before it (the key)
 * @param columns     the table's columns as the stream knows them at this change (shared by the table's changes)
 * @param commitLsn   the LSN of the commit of the change's transaction (the snapshot's LSN for snapshot rows)
 * @param changeLsn   the LSN of the change itself
 * @param committedAt when the transaction committed (when the snapshot read the row, for snapshot rows)
 * @param snapshot    read by the initial snapshot
 */
public record ChangeRecord(String table, ChangeOp op, Map<String, Object> key, Map<String, Object> values,
                           List<SourceColumn> columns, long commitLsn, long changeLsn, Instant committedAt,
                           boolean snapshot) {
}
