package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

/** Reading the manifests of this module (base/, overlays/, image/, schemas/). */
final class Manifests {

    static final Path DIR = Path.of(System.getProperty("dvd.openshift.dir", ".")).toAbsolutePath().normalize();
    static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return docs.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<JsonNode> documents(String yaml) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return docs.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static java.util.stream.Stream<Path> walk(Path dir) {
        try {
            return java.nio.file.Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(JsonNode doc) {
        return doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
