package io.dvdrental.pipelines.transforms.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dim_film export, the one contract between the batch pipeline (writer) and the click stream (reader):
 * {@code reference/dim_film/<runId>/dim_film.jsonl} and {@code .csv}, then the pointer
 * {@code reference/dim_film/latest.json}, written last, naming the version, its keys and row count.
 */
public final class FilmReferenceExport {

    public static final String PREFIX = "reference/dim_film/";
    public static final String POINTER_KEY = PREFIX + "latest.json";
    /** Warehouse column of gold.dim_film -> exported field (the stream knows category_name as category). */
    public static final Map<String, String> FIELDS = fields();

    private static final ObjectMapper JSON = new ObjectMapper();

    private FilmReferenceExport() {
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("film_id", "film_id");
        fields.put("title", "title");
        fields.put("category_name", "category");
        fields.put("rating", "rating");
        fields.put("length", "length");
        fields.put("release_year", "release_year");
        fields.put("rental_duration", "rental_duration");
        return Collections.unmodifiableMap(fields);
    }

    public static String csvKey(String version) {
        return PREFIX + version + "/dim_film.csv";
    }

    public static String jsonlKey(String version) {
        return PREFIX + version + "/dim_film.jsonl";
    }

    /** The pointer of a version just written. */
    public static Pointer pointer(String version, long rows, Instant exportedAt) {
        return new Pointer(version, csvKey(version), jsonlKey(version), rows, exportedAt);
    }

    /** gold.dim_film rows (by warehouse column) as CSV with a header of the exported field names. */
    public static String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", FIELDS.values())).append('\n');
        for (Map<String, Object> row : rows) {
            out.append(FIELDS.keySet().stream().map(c -> csvField(row.get(c))).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return out.toString();
    }

    /** gold.dim_film rows (by warehouse column) as JSON lines of the exported fields. */
    public static String jsonLines(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            FIELDS.forEach((column, field) -> line.put(field, row.get(column)));
            out.append(json(line)).append('\n');
        }
        return out.toString();
    }

    static String csvField(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code latest.json}: {"version","csv","jsonl","rows","exportedAt"}. */
    public record Pointer(String version, String csv, String jsonl, long rows, Instant exportedAt) {

        public static Pointer parse(byte[] bytes) {
            try {
                JsonNode node = JSON.readTree(bytes);
                String version = text(node, "version");
                String jsonl = text(node, "jsonl");
                if (version == null || jsonl == null || !node.hasNonNull("rows")) {
                    throw new IllegalArgumentException("latest.json needs version, jsonl and rows: " + node);
                }
                String exportedAt = text(node, "exportedAt");
                return new Pointer(version, text(node, "csv"), jsonl, node.get("rows").asLong(),
                        exportedAt == null ? null : Instant.parse(exportedAt));
            } catch (IOException e) {
                throw new IllegalArgumentException("latest.json is not JSON: " + e.getMessage(), e);
            }
        }

        public String toJson() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("version", version);
            fields.put("csv", csv);
            fields.put("jsonl", jsonl);
            fields.put("rows", rows);
            fields.put("exportedAt", exportedAt == null ? null : exportedAt.toString());
            return json(fields);
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /**
     * Reads the JSON lines of an export (film_id, title, category, rating, length, ...). Fails when the file does not
     * hold exactly {@code expectedRows} films, so that a half-written export is never swapped in.
     */
    public static Map<Integer, FilmReference> readJsonLines(InputStream in, long expectedRows) {
        Map<Integer, FilmReference> films = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JSON.readTree(line);
                if (!row.hasNonNull("film_id") || !row.hasNonNull("title")) {
                    throw new IllegalArgumentException("dim_film line " + number + " has no film_id or title");
                }
                FilmReference film = new FilmReference(row.get("film_id").asInt(), row.get("title").asText(),
                        textOr(row, "category", FilmReference.UNKNOWN), textOr(row, "rating", FilmReference.UNKNOWN),
                        row.path("length").asInt(0));
                films.put(film.filmId(), film);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dim_film export: " + e.getMessage(), e);
        }
        if (films.size() != expectedRows) {
            throw new IllegalArgumentException("The dim_film export holds " + films.size() + " films, its pointer says "
                    + expectedRows);
        }
        return films;
    }

    /** One JSON line of an export, as the batch pipeline writes it (used by fixtures and the producer's tests). */
    public static String toJsonLine(FilmReference film, int releaseYear, int rentalDuration) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("film_id", film.filmId());
        fields.put("title", film.title());
        fields.put("category", film.category());
        fields.put("rating", film.rating());
        fields.put("length", film.length());
        fields.put("release_year", releaseYear);
        fields.put("rental_duration", rentalDuration);
        return json(fields);
    }

    private static String textOr(JsonNode row, String field, String fallback) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
