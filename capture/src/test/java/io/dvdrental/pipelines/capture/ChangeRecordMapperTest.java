package io.dvdrental.pipelines.capture;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Debezium's PostgreSQL events, built as the connector builds them (field names and semantic types of 3.6). */
class ChangeRecordMapperTest {

    private static final Schema KEY = SchemaBuilder.struct().name("dvd.public.film.Key")
            .field("film_id", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("dvd.public.film.Value").optional()
            .field("film_id", Schema.INT32_SCHEMA)
            .field("title", Schema.OPTIONAL_STRING_SCHEMA)
            .field("length", Schema.OPTIONAL_INT16_SCHEMA)
            .field("rental_rate", Decimal.builder(2).optional().build())
            .field("last_update", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("release_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("special_features", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("ts_ms", Schema.INT64_SCHEMA).field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("dvd.public.film.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).build();

    private static final long COMMITTED_US = 1_796_077_638_166_255L;

    @Test
    void anUpdateCarriesItsValuesAsPlainJavaAndItsPosition() {
        ChangeRecord change = new ChangeRecordMapper(100).map(event("u", row(7, "ACE"), "[\"24268216\",\"24267800\"]",
                24267800L, null)).orElseThrow();

        assertThat(change.table()).isEqualTo("film");
        assertThat(change.op()).isEqualTo(ChangeOp.UPDATE);
        assertThat(change.key()).containsExactly(Map.entry("film_id", 7));
        assertThat(change.values()).containsEntry("title", "ACE").containsEntry("length", (short) 90)
                .containsEntry("rental_rate", new BigDecimal("4.99"))
                .containsEntry("last_update", LocalDateTime.of(2026, 11, 30, 12, 0, 1, 250_000_000))
                .containsEntry("release_date", LocalDate.of(2006, 2, 15))
                .containsEntry("special_features", List.of("Trailers", "Deleted Scenes"));
        assertThat(change.commitLsn()).isEqualTo(24268216L);
        assertThat(change.changeLsn()).isEqualTo(24267800L);
        assertThat(change.committedAt()).isEqualTo(Instant.EPOCH.plusNanos(COMMITTED_US * 1000));
        assertThat(change.snapshot()).isFalse();
        assertThat(change.columns()).extracting(SourceColumn::name, SourceColumn::type).contains(
                org.assertj.core.groups.Tuple.tuple("length", "int16"),
                org.assertj.core.groups.Tuple.tuple("rental_rate", "decimal"),
                org.assertj.core.groups.Tuple.tuple("last_update", "timestamp"),
                org.assertj.core.groups.Tuple.tuple("special_features", "array"));
    }

    @Test
    void aValueSetToNullStaysNull() {
        ChangeRecord change = new ChangeRecordMapper(100).map(event("u", row(7, null), "[\"5\",\"6\"]", 6L,
                null)).orElseThrow();
        assertThat(change.values()).containsEntry("title", null);
    }

    @Test
    void aDeleteCarriesTheKeyTheSourceKeptOfTheRow() {
        Struct before = new Struct(ROW).put("film_id", 7);
        ChangeRecord change = new ChangeRecordMapper(100).map(event("d", null, "[\"5\",\"6\"]", 6L, before))
                .orElseThrow();
        assertThat(change.op()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.values()).containsEntry("film_id", 7).containsEntry("title", null);
    }

    @Test
    void snapshotRowsCarryTheSnapshotLsnAndComeFirstInTheirTransaction() {
        ChangeRecordMapper mapper = new ChangeRecordMapper(0);
        ChangeRecord read = mapper.map(event("r", row(1, "A"), "[null,\"500\"]", 500L, null)).orElseThrow();
        assertThat(read.snapshot()).isTrue();
        assertThat(read.commitLsn()).isEqualTo(500L);
        assertThat(read.changeLsn()).isZero();
        assertThat(mapper.snapshotLsn()).isEqualTo(500L);

        // The first transaction after the snapshot has no preceding commit: it is ordered by the snapshot's LSN,
        // after the snapshot's rows even when its change LSN is lower (it began before the snapshot).
        ChangeRecord first = mapper.map(event("c", row(2, "B"), "[null,\"480\"]", 480L, null)).orElseThrow();
        assertThat(first.commitLsn()).isEqualTo(500L);
        assertThat(first.changeLsn()).isEqualTo(480L);
    }

    @Test
    void aChangeWithoutAPrecedingCommitAndNoKnownSnapshotIsRefused() {
        assertThatThrownBy(() -> new ChangeRecordMapper(0).map(event("c", row(2, "B"), "[null,\"480\"]", 480L,
                null))).hasMessageContaining("no preceding commit");
    }

    @Test
    void heartbeatsAreNotChanges() {
        Schema key = SchemaBuilder.struct().field("serverName", Schema.STRING_SCHEMA).build();
        Schema value = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord heartbeat = new SourceRecord(Map.of("server", "dvd"), Map.of("lsn", 9L),
                "__debezium-heartbeat.dvd", key, new Struct(key).put("serverName", "dvd"), value,
                new Struct(value).put("ts_ms", 1L));
        assertThat(new ChangeRecordMapper(1).map(heartbeat)).isEmpty();
    }

    private static Struct row(int id, String title) {
        return new Struct(ROW).put("film_id", id).put("title", title).put("length", (short) 90)
                .put("rental_rate", new BigDecimal("4.99"))
                .put("last_update", LocalDateTime.of(2026, 11, 30, 12, 0, 1, 250_000_000)
                        .toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000 + 250_000)
                .put("release_date", (int) LocalDate.of(2006, 2, 15).toEpochDay())
                .put("special_features", List.of("Trailers", "Deleted Scenes"));
    }

    private static SourceRecord event(String op, Struct after, String sequence, long lsn, Struct before) {
        Struct source = new Struct(SOURCE).put("ts_ms", COMMITTED_US / 1000).put("ts_us", COMMITTED_US)
                .put("snapshot", "r".equals(op) ? "true" : null).put("table", "film").put("sequence", sequence)
                .put("lsn", lsn);
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source)
                .put("op", op);
        Struct keyRow = after != null ? after : before;
        return new SourceRecord(Map.of("server", "dvd"), Map.of("lsn", lsn), "dvd.public.film", KEY,
                new Struct(KEY).put("film_id", keyRow.get("film_id")), ENVELOPE, value);
    }
}
