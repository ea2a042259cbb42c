package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.dvdrental.pipelines.warehouse.WarehouseClientConfig;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes each loaded reference version to {@code stream.film_reference}, where the insights read film names at query
 * time. Every replica loads the same version: the deduplication token (the version) keeps one copy.
 */
@Component
public class FilmReferenceTable {

    static final String TABLE = "stream.film_reference";
    /** The column's own time zone is UTC. */
    private static final DateTimeFormatter LOADED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private final Client client;
    private final ObjectMapper json = new ObjectMapper();

    public FilmReferenceTable(Client warehouseClient) {
        this.client = warehouseClient;
    }

    public void write(ReferenceSnapshot snapshot) {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        String loadedAt = LOADED_AT.format(snapshot.loadedAt());
        snapshot.films().values().forEach(film -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("film_id", film.filmId());
            row.put("title", film.title());
            row.put("category", film.category());
            row.put("version", snapshot.version());
            row.put("loaded_at", loadedAt);
            try {
                rows.writeBytes(json.writeValueAsBytes(row));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            rows.write('\n');
        });
        byte[] body = rows.toByteArray();
        InsertSettings settings = new InsertSettings().setDeduplicationToken("film_reference-" + snapshot.version())
                .serverSetting("async_insert", "0");
        try {
            client.insert(TABLE, out -> out.write(body), ClickHouseFormat.JSONEachRow, settings)
                    .get(WarehouseClientConfig.TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the film reference " + snapshot.version(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Writing the film reference " + snapshot.version() + " to " + TABLE
                    + " failed: " + e.getMessage(), e);
        }
    }
}
