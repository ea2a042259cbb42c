package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of openshift against the strict Kubernetes/OpenShift API schemas kept in
 * openshift/schemas: a typo, a wrong type or a missing required field fails the build here instead of at
 * {@code oc apply} (or worse, being dropped silently by the API server).
 */
class ManifestSchemaTest {

    private static final ApiSchemas SCHEMAS = new ApiSchemas(Manifests.DIR.resolve("schemas"));
    private static final KustomizationSchema KUSTOMIZATION = new KustomizationSchema(Manifests.DIR.resolve("schemas"));

    @Test
    void everyManifestAndPatchMatchesTheApiSchemas() throws IOException {
        List<Path> kustomizations = yamlFiles().stream().filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        assertThat(kustomizations).as("base and the dev and prod overlays").hasSize(3);

        Set<Path> patches = new HashSet<>();
        Set<Path> resources = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path k : kustomizations) {
            JsonNode doc = Manifests.documents(k).get(0);
            KUSTOMIZATION.validate(doc).forEach(p -> problems.add(k + ": " + p));
            for (String resource : Manifests.texts(doc.path("resources"))) {
                Path target = k.resolveSibling(resource).normalize();
                if (!Files.exists(target)) {
                    problems.add(k + ": resource '" + resource + "' does not exist");
                }
                resources.add(target);
            }
            for (JsonNode patch : doc.path("patches")) {
                Path target = k.resolveSibling(patch.path("path").asText()).normalize();
                if (!Files.exists(target)) {
                    problems.add(k + ": patch '" + target + "' does not exist");
                }
                patches.add(target);
            }
        }
        int checked = 0;
        for (Path file : yamlFiles()) {
            if (kustomizations.contains(file)) {
                continue;
            }
            if (!patches.contains(file) && !resources.contains(file)) {
                problems.add(file + ": not listed in any kustomization.yaml, so never applied");
            }
            for (JsonNode doc : Manifests.documents(file)) {
                for (String p : SCHEMAS.validate(doc, patches.contains(file))) {
                    problems.add(file + " " + Manifests.describe(doc) + ": " + p);
                }
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(13);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "deployment-typo.yaml|property 'contaners' is not defined in the schema",
            "deployment-no-selector.yaml|required property 'selector' not found",
            "deployment-port-not-a-number.yaml|containerPort: string found, integer expected",
            "route-bad-termination.yaml|termination: does not have a value in the enumeration",
            "service-unknown-kind.yaml|no schema for apiVersion/kind 'v1 Servise'",
    })
    void aBrokenManifestFailsWithTheReason(String file, String reason) throws Exception {
        Path broken = Path.of(getClass().getResource("/broken/" + file).toURI());
        List<String> problems = Manifests.documents(broken).stream()
                .flatMap(doc -> SCHEMAS.validate(doc, false).stream()).toList();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains(reason));
    }

    @Test
    void aPatchMayOmitRequiredFieldsButNotMisspellThem() {
        JsonNode patch = Manifests.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: dvd-pipelines}
                spec:
                  template:
                    spec:
                      containers:
                        - name: server
                          resoures: {requests: {cpu: 250m}}
                """).get(0);
        assertThat(SCHEMAS.validate(patch, true)).singleElement().asString().contains("'resoures'");
    }

    /** The manifests: the base and the overlays (the module's own test resources hold broken ones on purpose). */
    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Stream.of("base", "overlays").map(Manifests.DIR::resolve).flatMap(Manifests::walk)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
