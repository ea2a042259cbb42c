package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JDK as its {@code release} file describes it: which flags its {@code java} takes depends on its version. */
record JdkRelease(Path file, int feature) {

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    static JdkRelease of(Path javaHome) {
        return find(javaHome).orElseThrow(() -> new IllegalArgumentException("Not a JDK (a bin/java and a release "
                + "file with its JAVA_VERSION): " + javaHome));
    }

    static Optional<JdkRelease> find(Path javaHome) {
        Path file = javaHome.resolve("release");
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java")) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Matcher version = VERSION.matcher(Files.readString(file));
            return version.find() ? Optional.of(new JdkRelease(file, Integer.parseInt(version.group(1))))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
