package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each overlay as {@code oc apply -k} sends it (rendered by kustomize): strict API schemas, then the wiring the
 * server relies on: probes on the actuator, the Jolokia port Hawtio Online looks for, credentials only from
 * Secrets, a read-only root file system with a writable /tmp, a grace period longer than the server's own shutdown
 * budget, and Service, Route and ServiceMonitor pointing at each other.
 */
class RenderedOverlayTest {

    private static final ApiSchemas SCHEMAS = new ApiSchemas(Manifests.DIR.resolve("schemas"));

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theOverlayRendersToValidWiredResources(String overlay) throws Exception {
        List<JsonNode> docs = Manifests.documents(kustomize(Manifests.DIR.resolve("overlays").resolve(overlay)));
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs) {
            SCHEMAS.validate(doc, false).forEach(p -> problems.add(Manifests.describe(doc) + ": " + p));
        }
        assertThat(problems).isEmpty();

        Map<String, JsonNode> byKind = docs.stream().collect(Collectors.toMap(d -> d.path("kind").asText(), d -> d));
        assertThat(byKind).containsKeys("Deployment", "Service", "Route", "ConfigMap", "ServiceMonitor",
                "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy");
        assertThat(docs).allSatisfy(d -> assertThat(d.path("metadata").path("namespace").asText())
                .isEqualTo(overlay.equals("prod") ? "dvd-pipelines" : "dvd-pipelines-dev"));

        JsonNode deployment = byKind.get("Deployment");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode server = pod.path("spec").path("containers").path(0);
        assertThat(portsByName(server.path("ports"), "containerPort")).containsEntry("http", 8080).containsEntry("jolokia", 8778);
        assertThat(server.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(server.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(server.path("image").asText()).startsWith("image-registry.openshift-image-registry.svc:5000/");
        assertThat(server.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(server.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
        assertThat(server.path("resources").path("requests").has("memory")).isTrue();
        assertThat(server.path("resources").path("limits").has("memory")).isTrue();
        assertThat(server.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");

        // Credentials reach the pod only from Secrets; the ConfigMap holds none.
        for (JsonNode env : server.path("env")) {
            String name = env.path("name").asText();
            if (name.matches(".*(PASSWORD|SECRET|USERNAME|ACCESSKEY|ADMINUSER).*")) {
                assertThat(env.path("valueFrom").has("secretKeyRef")).as(name + " from a Secret").isTrue();
            }
        }
        JsonNode config = byKind.get("ConfigMap").path("data");
        assertThat(StreamSupport.stream(((Iterable<String>) config::fieldNames).spliterator(), false))
                .noneMatch(k -> k.matches(".*(PASSWORD|SECRET|ACCESSKEY|JAAS).*"))
                .contains("SPRING_PROFILES_ACTIVE");
        assertThat(config.path("SPRING_PROFILES_ACTIVE").asText()).isEqualTo("prod");
        // The prod profile does not start with a PostgreSQL TLS mode that accepts any server.
        assertThat(config.path("DVD_POSTGRES_SSLMODE").asText()).isIn("verify-full", "verify-ca");

        // Hawtio Online: the Jolokia agent on the "jolokia" port with the Service's serving certificate.
        assertThat(config.path("JAVA_TOOL_OPTIONS").asText()).contains(
                "-javaagent:/deployments/jolokia/jolokia-agent.jar=config=/deployments/jolokia/jolokia-agent.properties");
        assertThat(JolokiaAgentConfig.load().getProperty("port")).isEqualTo("8778");
        String servingCertSecret = byKind.get("Service").path("metadata").path("annotations")
                .path("service.beta.openshift.io/serving-cert-secret-name").asText();
        assertThat(pod.path("spec").path("volumes").findValuesAsText("secretName")).contains(servingCertSecret);

        Duration serverShutdown = ProdProfile.shutdownBudget();
        assertThat(Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong()))
                .as("grace period longer than the server's shutdown budget %s", serverShutdown)
                .isGreaterThan(serverShutdown);

        JsonNode service = byKind.get("Service");
        Map<String, JsonNode> podLabels = fields(pod.path("metadata").path("labels"));
        assertThat(podLabels).containsAllEntriesOf(fields(service.path("spec").path("selector")));
        assertThat(podLabels).containsAllEntriesOf(fields(deployment.path("spec").path("selector").path("matchLabels")));
        Map<String, Integer> servicePorts = portsByName(service.path("spec").path("ports"), "port");
        assertThat(servicePorts).containsKeys("http", "jolokia");

        JsonNode route = byKind.get("Route").path("spec");
        assertThat(route.path("to").path("name").asText()).isEqualTo(service.path("metadata").path("name").asText());
        assertThat(servicePorts).containsKey(route.path("port").path("targetPort").asText());
        assertThat(route.path("tls").path("termination").asText()).isEqualTo("edge");

        JsonNode monitor = byKind.get("ServiceMonitor").path("spec");
        assertThat(fields(service.path("metadata").path("labels")))
                .containsAllEntriesOf(fields(monitor.path("selector").path("matchLabels")));
        assertThat(monitor.path("endpoints").path(0).path("path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(servicePorts).containsKey(monitor.path("endpoints").path(0).path("port").asText());
        theServiceMonitorScrapesOverTlsWithTheScrapeOnlyAccount(byKind, overlay);
    }

    /**
     * Prometheus reads the metrics over TLS, on the port that serves nothing else, checking the certificate the
     * service CA issued for the Service, with an account that may read the metrics and nothing else; only the
     * monitoring stack reaches that port.
     */
    private static void theServiceMonitorScrapesOverTlsWithTheScrapeOnlyAccount(Map<String, JsonNode> byKind,
                                                                               String overlay) {
        JsonNode endpoint = byKind.get("ServiceMonitor").path("spec").path("endpoints").path(0);
        JsonNode service = byKind.get("Service");
        JsonNode pod = byKind.get("Deployment").path("spec").path("template").path("spec");
        JsonNode server = pod.path("containers").path(0);
        JsonNode config = byKind.get("ConfigMap").path("data");

        assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
        assertThat(endpoint.path("scheme").asText()).isEqualTo("https");
        assertThat(endpoint.path("tlsConfig").path("insecureSkipVerify").asBoolean(false)).isFalse();
        assertThat(endpoint.path("tlsConfig").path("serverName").asText())
                .isEqualTo(service.path("metadata").path("name").asText() + "." + service.path("metadata")
                        .path("namespace").asText() + ".svc");
        // OpenShift puts the service CA's bundle into this ConfigMap of every namespace.
        assertThat(endpoint.path("tlsConfig").path("ca").path("configMap").path("name").asText())
                .isEqualTo("openshift-service-ca.crt");
        assertThat(endpoint.path("tlsConfig").path("ca").path("configMap").path("key").asText())
                .isEqualTo("service-ca.crt");

        String scrapeSecret = endpoint.path("basicAuth").path("username").path("name").asText();
        assertThat(endpoint.path("basicAuth").path("password").path("name").asText()).isEqualTo(scrapeSecret);
        Map<String, String> secretOf = new java.util.HashMap<>();
        server.path("env").forEach(e -> secretOf.put(e.path("name").asText(),
                e.path("valueFrom").path("secretKeyRef").path("name").asText()));
        assertThat(secretOf).as("the server's scrape-only account comes from the ServiceMonitor's Secret")
                .containsEntry("DVD_SECURITY_METRICS_USER", scrapeSecret)
                .containsEntry("DVD_SECURITY_METRICS_PASSWORD", scrapeSecret);
        assertThat(scrapeSecret).isNotEqualTo(secretOf.get("DVD_SECURITY_ADMINPASSWORD"));

        int port = portsByName(server.path("ports"), "containerPort").get("metrics");
        assertThat(config.path("DVD_SECURITY_METRICS_PORT").asText()).isEqualTo(String.valueOf(port));
        assertThat(StreamSupport.stream(service.path("spec").path("ports").spliterator(), false)
                .filter(p -> p.path("name").asText().equals("metrics")).map(p -> p.path("targetPort").asText()))
                .containsExactly("metrics");

        // The serving certificate of the Service is where the prod profile reads it.
        String servingSecret = service.path("metadata").path("annotations")
                .path("service.beta.openshift.io/serving-cert-secret-name").asText();
        String volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("secret").path("secretName").asText().equals(servingSecret))
                .map(v -> v.path("name").asText()).findFirst().orElseThrow();
        String mountPath = StreamSupport.stream(server.path("volumeMounts").spliterator(), false)
                .filter(m -> m.path("name").asText().equals(volume)).map(m -> m.path("mountPath").asText())
                .findFirst().orElseThrow();
        assertThat(ProdProfile.servingCertificateFiles()).allSatisfy(f -> assertThat(f).startsWith(mountPath + "/"));

        // Only the cluster's monitoring stack reaches the metrics port.
        JsonNode rules = byKind.get("NetworkPolicy").path("spec").path("ingress");
        List<JsonNode> metricsRules = StreamSupport.stream(rules.spliterator(), false)
                .filter(r -> r.path("ports").findValuesAsText("port").contains("metrics")).toList();
        assertThat(metricsRules).as(overlay + " NetworkPolicy rule for the metrics port").hasSize(1);
        assertThat(metricsRules.get(0).path("ports")).hasSize(1);
        assertThat(metricsRules.get(0).path("from").findValuesAsText("kubernetes.io/metadata.name"))
                .containsExactly("openshift-user-workload-monitoring");
    }

    /** kustomize as {@code oc apply -k} runs it; the check is skipped only where no kubectl/oc is installed. */
    private static String kustomize(Path overlay) throws IOException, InterruptedException {
        String tool = Stream.of("oc", "kubectl").filter(RenderedOverlayTest::onPath).findFirst().orElse(null);
        assumeTrue(tool != null, "kubectl or oc is needed to render the overlays");
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(tool, "kustomize", overlay.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kustomize finished").isTrue();
            assertThat(p.exitValue()).as("kustomize %s: %s", overlay, Files.readString(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static Map<String, Integer> portsByName(JsonNode ports, String field) {
        return StreamSupport.stream(ports.spliterator(), false)
                .collect(Collectors.toMap(p -> p.path("name").asText(), p -> p.path(field).asInt()));
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        return object.properties().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
