package io.dvdrental.pipelines.producer;

import io.dvdrental.pipelines.producer.source.SourceDatabase;
import picocli.CommandLine.Option;

/** The source database options every database command shares; defaults come from the stack's environment. */
final class SourceOptions {

    @Option(names = "--url", defaultValue = "${env:DVD_SOURCE_URL}",
            description = "Source JDBC URL (default: $DVD_SOURCE_URL)")
    String url;

    @Option(names = "--user", defaultValue = "${env:DVD_SOURCE_USERNAME:-postgres}",
            description = "Source user (default: $DVD_SOURCE_USERNAME or postgres)")
    String user;

    @Option(names = "--password", defaultValue = "${env:DVD_SOURCE_PASSWORD}",
            description = "Source password (default: $DVD_SOURCE_PASSWORD)")
    String password;

    SourceDatabase database() {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("No source database: pass --url or set DVD_SOURCE_URL");
        }
        return new SourceDatabase(url, user, password);
    }
}
