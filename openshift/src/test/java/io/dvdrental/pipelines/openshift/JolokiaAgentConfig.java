package io.dvdrental.pipelines.openshift;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** openshift/image/jolokia-agent.properties and jolokia-access.xml, the agent configuration baked into the image. */
final class JolokiaAgentConfig {

    static final Path FILE = Manifests.DIR.resolve("image").resolve("jolokia-agent.properties");
    static final Path POLICY = Manifests.DIR.resolve("image").resolve("jolokia-access.xml");
    /** Where the Containerfile puts the policy. */
    static final String POLICY_IN_IMAGE = "/deployments/jolokia/jolokia-access.xml";

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

    static String policy() {
        try {
            return Files.readString(POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
