package io.dvdrental.pipelines.openshift;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;

/** What config/spring/application-prod.yml gives the server to shut down (the pod's grace period must exceed it). */
final class ProdProfile {

    static final Path FILE = Manifests.DIR.resolveSibling("config").resolve("spring").resolve("application-prod.yml");

    private ProdProfile() {
    }

    /** The HTTP drain and Camel's stop run one after the other, each bounded by its own timeout. */
    static Duration shutdownBudget() {
        JsonNode prod = Manifests.documents(FILE).get(0);
        Duration phase = Duration.parse("PT" + prod.path("spring").path("lifecycle").path("timeout-per-shutdown-phase")
                .asText().toUpperCase());
        Duration camel = Duration.ofSeconds(prod.path("camel").path("main").path("shutdown-timeout").asLong());
        if (phase.isZero() || camel.isZero()) {
            throw new IllegalStateException(FILE + " must set spring.lifecycle.timeout-per-shutdown-phase and camel.main.shutdown-timeout");
        }
        return phase.plus(camel);
    }

    /** The certificate and key files of the metrics port's TLS (the Service's serving certificate), by default. */
    static java.util.List<String> servingCertificateFiles() {
        JsonNode metrics = Manifests.documents(FILE).get(0).path("dvd").path("security").path("metrics");
        return java.util.stream.Stream.of("certificate", "private-key")
                .map(k -> metrics.path(k).asText().replaceAll("\\$\\{[A-Z_]+:([^}]*)}", "$1")).toList();
    }
}
