package io.dvdrental.pipelines.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Path;
import java.time.Duration;

/** Process entry point: runs PostgreSQL on a data folder until this JVM is told to stop. */
public final class PostgresServer {

    private PostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", StackConfig.HOST)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                // Change data capture reads the write-ahead log through a logical replication slot (pgoutput).
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "postgres-stop"));
        System.out.println("PostgreSQL ready on " + StackConfig.HOST + ":" + port + " with data in " + data);
        Thread.currentThread().join();
    }
}
