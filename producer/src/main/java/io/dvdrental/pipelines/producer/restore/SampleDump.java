package io.dvdrental.pipelines.producer.restore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real dvdrental sample, {@code shared/dvdrental/dvdrental.sql.gz} beside the project (or beside any folder
 * above it, for git worktrees). A clone of the project does not have it: what uses it says so and skips.
 */
public final class SampleDump {

    private SampleDump() {
    }

    /** Where the sample is, or where it was looked for first when it is nowhere. */
    public static Path beside(Path projectRoot) {
        Path root = projectRoot.toAbsolutePath().normalize();
        for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
            Path dump = dir.resolve("shared/dvdrental/dvdrental.sql.gz");
            if (Files.isReadable(dump)) {
                return dump;
            }
        }
        return root.resolveSibling("shared/dvdrental/dvdrental.sql.gz");
    }

    /** The sample is there and psql can restore it. */
    public static boolean restorable(Path projectRoot) {
        return Files.isReadable(beside(projectRoot)) && PostgresClient.find("psql").isPresent();
    }
}
