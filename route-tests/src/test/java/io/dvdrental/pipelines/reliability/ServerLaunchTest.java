package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.ServerLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code ./dvd server start} and the reliability harness start the server's exec jar: extracted once, with the
 * archive of its classes once a start of this build wrote one. (Starting from the archive is measured by the harness:
 * a server start takes several seconds, more than this check may cost the suite.)
 */
class ServerLaunchTest {

    private static final Path JAR = findJar();

    @Test
    void theFirstStartOfABuildWritesTheArchiveAndTheNextOnesUseIt(@TempDir Path root) throws Exception {
        ServerLaunch launch = ServerLaunch.of(JAR, root);

        List<String> first = launch.command("256m", true);
        Path extracted = Path.of(first.get(first.size() - 1));
        assertThat(extracted).isRegularFile().hasFileName(JAR.getFileName().toString());
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining("glob:**/camel-core-engine-*.jar");
        assertThat(first).contains("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:ArchiveClassesAtExit=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
        assertThat(launch.command("256m", false)).noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit")
                || arg.startsWith("-XX:SharedArchiveFile"));

        Files.writeString(launch.archive(), "written by the JVM as the first start exits");
        assertThat(launch.command("256m", true)).contains("-XX:SharedArchiveFile=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit"))
                .endsWith(extracted.toString());
    }

    @Test
    void ofOtherBuildsOnlyTheNewestStays(@TempDir Path root) throws Exception {
        Path builds = root.resolve(".local/cds");
        Path older = Files.createDirectories(builds.resolve("older-build/app"));
        Path newer = Files.createDirectories(builds.resolve("newer-build/app"));
        Files.setLastModifiedTime(older.getParent(), FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(newer.getParent(), FileTime.fromMillis(2_000));

        ServerLaunch.of(JAR, root).command("256m", true);

        assertThat(newer).as("a server of the build before may still run from it").isDirectory();
        assertThat(older.getParent()).doesNotExist();
    }

    private static Path findJar() {
        try {
            return ServerProcess.findJar(Path.of(System.getProperty("user.dir")).getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
