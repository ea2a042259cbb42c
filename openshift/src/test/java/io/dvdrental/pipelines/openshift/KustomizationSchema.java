package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The kustomization.yaml files: a strict subset of kustomize's fields (openshift/schemas). */
final class KustomizationSchema {

    private final JsonSchema schema;

    KustomizationSchema(Path dir) {
        try {
            JsonNode node = new ObjectMapper().readTree(
                    dir.resolve("kustomize-config-k8s-io-v1beta1-kustomization.json").toFile());
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> validate(JsonNode doc) {
        return schema.validate(doc).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
