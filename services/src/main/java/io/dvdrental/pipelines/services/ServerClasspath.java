package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The classpath the build wrote for the server processes, plus this module's own classes. */
final class ServerClasspath {

    private static final String RESOURCE = "/dvd-services/server.classpath";

    private ServerClasspath() {
    }

    static String get() throws IOException {
        try (InputStream in = ServerClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing: build the services module with Maven");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return self() + java.io.File.pathSeparator + dependencies;
        }
    }

    private static String self() throws IOException {
        try {
            return Path.of(ServerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
