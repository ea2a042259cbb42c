package io.dvdrental.pipelines.capture;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debezium's PostgreSQL change events ({@code io.debezium.embedded.Connect} format: Kafka Connect {@link Struct}s)
 * as {@link ChangeRecord}s with plain Java values. Not thread-safe across engines: one mapper per engine run.
 *
 * <p>The commit LSN of a change is Debezium's {@code sequence[0]}: the LSN of the commit that precedes the change's
 * transaction in commit order. It increases from one transaction to the next and is the same for all changes of a
 * transaction, so (commit LSN, change LSN) orders the stream totally, and it is known when the change arrives (the
 * transaction's own commit LSN is only known after its last change). The first transaction after the initial
 * snapshot has no preceding commit: it gets the snapshot's LSN.
 */
public final class ChangeRecordMapper {

    private static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    private long snapshotLsn;
    /** The column list of a table as of a value schema: one instance per schema version, shared by its changes. */
    private final Map<Schema, List<SourceColumn>> columns = new ConcurrentHashMap<>();

    /**
     * @param snapshotLsn the LSN of this capture's initial snapshot, 0 while it is not known (the snapshot's own rows
     *                    then tell it)
     */
    public ChangeRecordMapper(long snapshotLsn) {
        this.snapshotLsn = snapshotLsn;
    }

    /** The change, or empty for the engine's own records (heartbeats), which carry only an offset. */
    public Optional<ChangeRecord> map(SourceRecord record) {
        if (record.topic() != null && record.topic().startsWith(HEARTBEAT_TOPIC_PREFIX)
                || !(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return Optional.empty();
        }
        Struct source = value.getStruct("source");
        ChangeOp op = ChangeOp.of(value.getString("op"));
        boolean snapshot = op == ChangeOp.READ;
        long changeLsn = source.getInt64("lsn");
        if (snapshot) {
            snapshotLsn = changeLsn;
        }
        Instant committedAt = commitTime(source);
        Struct row = op == ChangeOp.DELETE ? value.getStruct("before") : value.getStruct("after");
        Schema rowSchema = value.schema().field("after").schema();
        Map<String, Object> values = row == null ? Map.of() : values(row);
        Map<String, Object> key = record.key() instanceof Struct k ? values(k) : Map.of();
        long commitLsn = snapshot ? changeLsn : precedingCommit(source);
        return Optional.of(new ChangeRecord(source.getString("table"), op, key, values,
                columns.computeIfAbsent(rowSchema, ChangeRecordMapper::columnsOf), commitLsn,
                snapshot ? 0 : changeLsn, committedAt, snapshot));
    }

    /** The LSN of the initial snapshot as far as known: given at start, or read from the snapshot's rows. */
    public long snapshotLsn() {
        return snapshotLsn;
    }

    private long precedingCommit(Struct source) {
        String sequence = source.getString("sequence");
        // ["<last commit LSN or null>","<change LSN>"]
        if (sequence != null && sequence.startsWith("[\"")) {
            int end = sequence.indexOf('"', 2);
            return Long.parseLong(sequence.substring(2, end));
        }
        if (snapshotLsn == 0) {
            throw new IllegalStateException("A change of " + source.getString("table") + " at LSN "
                    + source.getInt64("lsn") + " has no preceding commit and the snapshot's LSN is not known");
        }
        return snapshotLsn;
    }

    private static Instant commitTime(Struct source) {
        Long micros = source.schema().field("ts_us") == null ? null : source.getInt64("ts_us");
        return micros != null ? Instant.EPOCH.plusNanos(micros * 1000) : Instant.ofEpochMilli(source.getInt64("ts_ms"));
    }

    private static Map<String, Object> values(Struct struct) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            values.put(field.name(), plain(field.schema(), struct.get(field)));
        }
        return Collections.unmodifiableMap(values);
    }

    /** A Connect value as a plain Java value, by its semantic type. */
    static Object plain(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name() == null ? "" : schema.name();
        return switch (name) {
            case "io.debezium.time.Date" -> LocalDate.ofEpochDay(((Number) value).longValue());
            case "io.debezium.time.Timestamp" -> epochDateTime(((Number) value).longValue() * 1_000_000);
            case "io.debezium.time.MicroTimestamp" -> epochDateTime(((Number) value).longValue() * 1_000);
            case "io.debezium.time.NanoTimestamp" -> epochDateTime(((Number) value).longValue());
            case "io.debezium.time.ZonedTimestamp" -> OffsetDateTime.parse((String) value);
            case "io.debezium.time.Time" -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000);
            case "io.debezium.time.MicroTime" -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000);
            case "io.debezium.time.NanoTime" -> LocalTime.ofNanoOfDay(((Number) value).longValue());
            case "io.debezium.data.VariableScaleDecimal" -> {
                Struct decimal = (Struct) value;
                yield new BigDecimal(new java.math.BigInteger(decimal.getBytes("value")), decimal.getInt32("scale"));
            }
            case "org.apache.kafka.connect.data.Timestamp" ->
                    LocalDateTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
            case "org.apache.kafka.connect.data.Date" ->
                    LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
            default -> value instanceof List<?> list ? plainList(schema.valueSchema(), list) : value;
        };
    }

    private static List<Object> plainList(Schema elements, List<?> list) {
        List<Object> plain = new ArrayList<>(list.size());
        for (Object element : list) {
            plain.add(plain(elements, element));
        }
        return Collections.unmodifiableList(plain);
    }

    private static LocalDateTime epochDateTime(long nanos) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
    }

    private static List<SourceColumn> columnsOf(Schema row) {
        return row.fields().stream().map(f -> new SourceColumn(f.name(), typeOf(f.schema()), scaleOf(f.schema())))
                .toList();
    }

    private static String typeOf(Schema schema) {
        String name = schema.name() == null ? "" : schema.name();
        return switch (name) {
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> "date";
            case "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
                 "org.apache.kafka.connect.data.Timestamp" -> "timestamp";
            case "io.debezium.time.ZonedTimestamp" -> "timestamptz";
            case "io.debezium.time.Time", "io.debezium.time.MicroTime", "io.debezium.time.NanoTime" -> "time";
            case Decimal.LOGICAL_NAME, "io.debezium.data.VariableScaleDecimal" -> "decimal";
            default -> switch (schema.type()) {
                case INT8, INT16 -> "int16";
                case INT32 -> "int32";
                case INT64 -> "int64";
                case FLOAT32 -> "float32";
                case FLOAT64 -> "float64";
                case BOOLEAN -> "boolean";
                case STRING -> "string";
                case BYTES -> "bytes";
                case ARRAY -> "array";
                default -> "other";
            };
        };
    }

    private static int scaleOf(Schema schema) {
        if (Decimal.LOGICAL_NAME.equals(schema.name()) && schema.parameters() != null) {
            return Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
        }
        return -1;
    }
}
