package io.dvdrental.pipelines.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dim_film reference file the streaming side caches: CSV with a header and JSON lines, under a versioned key per
 * run, and the {@code latest.json} pointer written last.
 */
public final class ReferenceExport {

    /** The layout the streaming side reads: one description of it, in the reader. */
    public static final String PREFIX = io.dvdrental.pipelines.transforms.clicks.ReferenceExport.PREFIX;
    /** Warehouse column -> exported field (the stream knows category_name as category). */
    public static final Map<String, String> FIELDS = fields();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceExport() {
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

    public static String latestKey() {
        return io.dvdrental.pipelines.transforms.clicks.ReferenceExport.POINTER_KEY;
    }

    public static String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", FIELDS.values())).append('\n');
        for (Map<String, Object> row : rows) {
            out.append(FIELDS.keySet().stream().map(c -> csvField(row.get(c))).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return out.toString();
    }

    public static String jsonLines(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            FIELDS.forEach((column, field) -> line.put(field, row.get(column)));
            out.append(json(line)).append('\n');
        }
        return out.toString();
    }

    public static String latest(String version, int rows, String exportedAt) {
        return new io.dvdrental.pipelines.transforms.clicks.ReferenceExport.Pointer(version, csvKey(version),
                jsonlKey(version), rows, java.time.Instant.parse(exportedAt)).toJson();
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
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
