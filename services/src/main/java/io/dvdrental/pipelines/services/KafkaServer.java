package io.dvdrental.pipelines.services;

import java.nio.file.Files;
import java.nio.file.Path;

/** Process entry point: formats the KRaft log folder once, then runs the broker until this JVM is stopped. */
public final class KafkaServer {

    private KafkaServer() {
    }

    public static void main(String[] args) {
        String config = args[0];
        Path logDir = Path.of(args[1]);
        String clusterId = args[2];
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config}, System.out);
            if (rc != 0) {
                System.err.println("Formatting the Kafka log folder " + logDir + " failed with " + rc);
                System.exit(rc);
            }
        }
        kafka.Kafka.main(new String[] {config});
    }
}
