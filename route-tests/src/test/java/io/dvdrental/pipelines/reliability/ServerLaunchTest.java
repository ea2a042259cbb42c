package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.ServerLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code ./dvd server start} and the reliability harness start the server's exec jar: extracted once, with the
 * archive of its classes once a start of this build wrote one. (Starting from the archive is measured by the harness:
 * a server start takes several seconds, more than this check may cost the suite.)
 */
class ServerLaunchTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = findJar();

    @Test
    void theFirstStartOfABuildWritesTheArchiveAndTheNextOnesUseIt(@TempDir Path root) throws Exception {
        ServerLaunch launch = ServerLaunch.of(JAR, withTheServersOptions(root));

        List<String> first = launch.command(true, "-Xmx256m");
        Path extracted = Path.of(first.get(first.size() - 1));
        assertThat(extracted).isRegularFile().hasFileName(JAR.getFileName().toString());
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining("glob:**/camel-core-engine-*.jar");
        assertThat(first).containsSubsequence("@" + root.resolve(ServerLaunch.OPTIONS), "-Xmx256m")
                .contains("-XX:ArchiveClassesAtExit=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
        assertThat(launch.command(false)).noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit")
                || arg.startsWith("-XX:SharedArchiveFile"));

        Files.writeString(launch.archive(), "written by the JVM as the first start exits");
        assertThat(launch.command(true)).contains("-XX:SharedArchiveFile=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit"))
                .endsWith(extracted.toString());

        Files.writeString(root.resolve(ServerLaunch.OPTIONS), "-Xmx300m\n", StandardOpenOption.APPEND);
        assertThat(ServerLaunch.of(JAR, root).archive()).as("a JVM refuses an archive written with other options")
                .isNotEqualTo(launch.archive());
    }

    /** The server's options hold its heap, and a JVM out of memory exits (its batch run is recovered). */
    @Test
    void theServersOptionsBoundItsHeapAndEndItOutOfMemory() throws Exception {
        List<String> options = Files.readAllLines(ROOT.resolve(ServerLaunch.OPTIONS)).stream()
                .map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty()).toList();
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError").anyMatch(option -> option.startsWith("-Xmx"));
    }

    @Test
    void ofOtherBuildsOnlyTheNewestStays(@TempDir Path root) throws Exception {
        Path builds = root.resolve(".local/cds");
        Path older = Files.createDirectories(builds.resolve("older-build/app"));
        Path newer = Files.createDirectories(builds.resolve("newer-build/app"));
        Files.setLastModifiedTime(older.getParent(), FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(newer.getParent(), FileTime.fromMillis(2_000));

        ServerLaunch.of(JAR, withTheServersOptions(root)).command(true);

        assertThat(newer).as("a server of the build before may still run from it").isDirectory();
        assertThat(older.getParent()).doesNotExist();
    }

    private static Path withTheServersOptions(Path root) throws java.io.IOException {
        Path options = root.resolve(ServerLaunch.OPTIONS);
        Files.createDirectories(options.getParent());
        Files.copy(ROOT.resolve(ServerLaunch.OPTIONS), options);
        return root;
    }

    private static Path findJar() {
        try {
            return ServerProcess.findJar(ROOT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
