package io.dvdrental.pipelines.transforms.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The source tables of {@code batch/source-tables.json}. */
public record SourceTables(List<SourceTable> tables) {

    public static SourceTables load() {
        try (InputStream in = SourceTables.class.getResourceAsStream("/batch/source-tables.json")) {
            return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(in, SourceTables.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read batch/source-tables.json", e);
        }
    }

    public Optional<SourceTable> find(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public SourceTable get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("Unknown source table '" + name
                + "'; known: " + names()));
    }

    public List<String> names() {
        return tables.stream().map(SourceTable::name).toList();
    }
}
