package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.LocalStack;

import java.util.Optional;

/**
 * What the scenarios run against: the server's HTTP side, the accounts, the real services. {@code services} is
 * present when the services are local processes that may be stopped; {@code process} when the harness started the
 * server itself and may kill it.
 */
public record Target(ServerApi server, Credentials operator, Credentials viewer, String kafkaBrokers,
                     Warehouse warehouse, String sourceUrl, Optional<LocalStack> services,
                     Optional<ServerProcess> process, Optional<Replicas> replicas, StreamNames stream) {

    /** Makes more replicas of the server (own process and port, same services and consumer group). */
    @FunctionalInterface
    public interface Replicas {
        ServerProcess replica(String name) throws java.io.IOException;
    }

    /** The source database (dvdrental): user postgres, no password on the local and test stacks. */
    public SourceData source() {
        return new SourceData(sourceUrl, "postgres", "");
    }

    /** The server's state database ({@code pipeline}, beside the source): runs, steps, watermarks. */
    public SourceData state() {
        return new SourceData(sourceUrl.substring(0, sourceUrl.lastIndexOf('/') + 1) + "pipeline", "postgres", "");
    }

    public BatchApi batch() {
        return new BatchApi(server, operator);
    }

    /** Names the streaming pipeline uses (see routes' stream.yml and the warehouse migrations). */
    public record StreamNames(String topic, String deadLetterTopic, String reasonHeader, String database,
                              String clicksTable) {

        public static StreamNames defaults() {
            return new StreamNames("dvd_clicks", "dvd_clicks.dlq", "dlq.reason", "stream", "dvd_clicks");
        }

        public String clicks() {
            return database + "." + clicksTable;
        }
    }
}
