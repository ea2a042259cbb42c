package io.dvdrental.pipelines.transforms.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The source tables of {@code batch/source-tables.json}. */
public record SourceTables(List<SourceTable> tables) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]*)}}");

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

    /**
     * A model file's text with its placeholders filled in: {@code {{latest_per_key <table>}}} becomes that table's
     * {@link SourceTable#latestPerKey()}. An unknown placeholder or table is refused.
     */
    public String render(String modelText) {
        Matcher m = PLACEHOLDER.matcher(modelText);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] words = m.group(1).strip().split("\\s+");
            if (words.length != 2 || !words[0].equals("latest_per_key")) {
                throw new IllegalArgumentException("Unknown placeholder {{" + m.group(1) + "}}; known: "
                        + "{{latest_per_key <table>}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(get(words[1]).latestPerKey()));
        }
        m.appendTail(out);
        return out.toString();
    }

    public List<String> names() {
        return tables.stream().map(SourceTable::name).toList();
    }
}
