package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The strict API schemas of openshift/schemas, one per apiVersion and kind. A strategic-merge patch is
 * checked by the same schema without its required fields: a patch names only what it changes, but every field it
 * names must exist and have the right type.
 */
final class ApiSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private final Map<String, JsonSchema> strict = new HashMap<>();
    private final Map<String, JsonSchema> patch = new HashMap<>();

    ApiSchemas(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode schema = JSON.readTree(file.toFile());
                String key = typeOf(schema);
                strict.put(key, FACTORY.getSchema(schema));
                patch.put(key, FACTORY.getSchema(withoutRequired(schema.deepCopy())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of one document, each naming where it is; empty when the document is valid. */
    List<String> validate(JsonNode doc, boolean isPatch) {
        String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
        JsonSchema schema = (isPatch ? patch : strict).get(key);
        if (schema == null) {
            return List.of("no schema for apiVersion/kind '" + key + "' (add it to openshift/schemas/generate.py)");
        }
        return schema.validate(doc).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(ValidationMessage::getMessage).toList();
    }

    private static String typeOf(JsonNode schema) {
        JsonNode root = schema.has("$ref")
                ? schema.path("definitions").path(schema.get("$ref").asText().substring("#/definitions/".length()))
                : schema;
        return root.path("properties").path("apiVersion").path("enum").path(0).asText() + " "
                + root.path("properties").path("kind").path("enum").path(0).asText();
    }

    private static JsonNode withoutRequired(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("required");
        }
        node.forEach(ApiSchemas::withoutRequired);
        return node;
    }
}
