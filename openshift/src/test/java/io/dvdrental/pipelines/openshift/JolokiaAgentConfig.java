package io.dvdrental.pipelines.openshift;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** openshift/image/jolokia-agent.properties, the agent configuration baked into the image. */
final class JolokiaAgentConfig {

    static final Path FILE = Manifests.DIR.resolve("image").resolve("jolokia-agent.properties");

    private JolokiaAgentConfig() {
    }

    static Properties load() {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(FILE)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
